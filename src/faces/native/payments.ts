/** Recording money received off-rail (cash, bank), matching suspense by hand, refunds and unapplying. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { parseCurrency, parseMajor } from '../../domain/money.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { matchSuspensePayment } from '../../services/payments/match-suspense.js';
import { receivePayment } from '../../services/payments/receive-payment.js';
import { refundPayment } from '../../services/payments/refund-payment.js';
import { reverseAllocation } from '../../services/payments/reverse-allocation.js';
import { invalid, notFound } from '../../domain/errors.js';
import { findCustomerByRef } from '../../services/customers/upsert-customer.js';
import { allocateManually } from '../../services/payments/allocate-manually.js';
import { paymentByReference, paymentRemainderMinor } from '../../services/payments/payment-queries.js';
import { suggestMatches } from '../../services/payments/suggest-matches.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { idempotent } from './idempotency.js';
import { Id, IdParams, MajorAmount } from './schemas.js';
import { paymentJson } from './serialize.js';

const RecordPaymentBody = Type.Object({
  rail: Type.Union([Type.Literal('cash'), Type.Literal('bank_transfer')]),
  reference: Type.String({ minLength: 1, maxLength: 100 }),
  amount: MajorAmount,
  currency: Type.Optional(Type.String({ maxLength: 3 })),
  account_reference: Type.Optional(Type.String({ maxLength: 64 })),
  invoice_id: Type.Optional(Id),
  payer_name: Type.Optional(Type.String({ maxLength: 200 })),
  payer_phone: Type.Optional(Type.String({ maxLength: 32 })),
}, { additionalProperties: false });

const ReferenceParams = Type.Object({ reference: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
const AllocateBody = Type.Object({
  allocations: Type.Optional(Type.Array(Type.Object({ invoice_id: Id, amount: MajorAmount }, { additionalProperties: false }), { minItems: 1, maxItems: 50 })),
  invoice_id: Type.Optional(Id),
  account_reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
}, { additionalProperties: false });
const RefundBody = Type.Object({ amount: MajorAmount, reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

export async function paymentRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = requireRole('admin');
  const collector = requireRole('admin', 'staff');
  const security = [{ bearer: [] }];

  app.post('/admin/payments', { preHandler: collector, schema: { tags: ['payments'], summary: 'Record a cash or bank payment; it is matched and applied like any other', body: RecordPaymentBody, security } },
    async (request, reply) => {
      const businessId = businessOf(request);
      return idempotent(request, reply, businessId, async () => {
        const ctx = requestCtx(request);
        const body = request.body as Static<typeof RecordPaymentBody>;
        const currency = body.currency ? parseCurrency(body.currency) : (await getBusiness(ctx.store.db, businessId)).currency;
        const result = await receivePayment(ctx, businessId, {
          rail: body.rail, providerRef: body.reference, currency, amountMinor: parseMajor(body.amount, currency, { allowZero: false }),
          accountRef: body.account_reference ?? null, invoiceId: body.invoice_id ?? null, payerName: body.payer_name ?? null, payerPhone: body.payer_phone ?? null,
        });
        return { status: result.duplicate ? 200 : 201, body: { ...paymentJson(result.payment), duplicate: result.duplicate, allocations: result.allocations.map((a) => ({ id: a.id, invoice_id: a.invoiceId, amount_minor: a.amountMinor })) } };
      });
    });

  app.get('/admin/payments/:reference', { preHandler: collector, schema: { tags: ['payments'], summary: 'A payment by id or provider reference', params: ReferenceParams, security } },
    async (request) => paymentJson(await paymentByReference(request.server.services.store.db, businessOf(request), (request.params as { reference: string }).reference)));

  app.get('/admin/payments/unmatched', {
    preHandler: collector,
    schema: { tags: ['payments'], summary: 'Payments waiting in suspense, with up to three suggested invoices each', querystring: Type.Object({ limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })) }, { additionalProperties: false }), security },
  }, async (request) => {
    const businessId = businessOf(request);
    const db = request.server.services.store.db;
    const limit = Math.min(Number((request.query as { limit?: string }).limit ?? 50) || 50, 100);
    const rows = await db.selectFrom('payments').selectAll().where('business_id', '=', businessId).where('customer_id', 'is', null)
      .orderBy('received_at', 'desc').limit(limit).execute();
    const payments = [];
    for (const row of rows) {
      const unappliedMinor = await paymentRemainderMinor(db, row.id, Number(row.amount_minor));
      if (unappliedMinor <= 0) continue;
      const suggestions = await suggestMatches(db, businessId, { ...row, amount_minor: unappliedMinor });
      payments.push({ ...paymentJson(row), unapplied_minor: unappliedMinor, suggestions: suggestions.map((s) => ({
        invoice_id: s.invoiceId, invoice_number: s.invoiceNumber, account_reference: s.accountRef, customer_name: s.customerName, balance_minor: s.balanceMinor, reasons: s.reasons,
      })) });
    }
    return { payments };
  });

  app.post('/admin/payments/:reference/allocate', {
    preHandler: admin,
    schema: { tags: ['payments'], summary: 'Apply a payment by hand: to an account, an invoice, or split over several invoices', params: ReferenceParams, body: AllocateBody, security },
  }, async (request, reply) => {
    const businessId = businessOf(request);
    const ctx = requestCtx(request);
    const payment = await paymentByReference(ctx.store.db, businessId, (request.params as { reference: string }).reference);
    const body = request.body as Static<typeof AllocateBody>;
    const currency = parseCurrency(payment.currency);
    return idempotent(request, reply, businessId, async () => {
      let applied;
      if (body.allocations) {
        applied = await allocateManually(ctx, businessId, payment.id, body.allocations.map((a, i) => ({ invoiceId: a.invoice_id, amountMinor: parseMajor(a.amount, currency, { field: `allocations[${i}].amount`, allowZero: false }) })));
      } else if (body.account_reference) {
        const customer = await findCustomerByRef(ctx.store.db, businessId, body.account_reference);
        if (!customer) throw notFound('account');
        applied = await matchSuspensePayment(ctx, businessId, payment.id, { customerId: customer.id });
      } else if (body.invoice_id) {
        applied = await matchSuspensePayment(ctx, businessId, payment.id, { invoiceId: body.invoice_id });
      } else {
        throw invalid('allocations', 'give allocations, invoice_id or account_reference');
      }
      return { status: 200, body: { payment_id: payment.id, allocations: applied.map((a) => ({ id: a.id, invoice_id: a.invoiceId, amount_minor: a.amountMinor })) } };
    });
  });

  app.post('/admin/payments/:reference/refund-mark', {
    preHandler: admin,
    schema: { tags: ['payments'], summary: 'Record that unapplied money of a payment was returned outside the platform', params: ReferenceParams, body: RefundBody, security },
  }, async (request, reply) => {
    const businessId = businessOf(request);
    const ctx = requestCtx(request);
    const payment = await paymentByReference(ctx.store.db, businessId, (request.params as { reference: string }).reference);
    const body = request.body as Static<typeof RefundBody>;
    return idempotent(request, reply, businessId, async () => {
      const refundId = await refundPayment(ctx, businessId, payment.id, parseMajor(body.amount, parseCurrency(payment.currency), { allowZero: false }), body.reason);
      return { status: 201, body: { id: refundId, payment_id: payment.id } };
    });
  });

  app.post('/admin/allocations/:id/reverse', { preHandler: admin, schema: { tags: ['payments'], summary: 'Unapply a payment from an invoice (a reversing allocation)', params: IdParams, body: ReasonBody, security } },
    async (request, reply) => idempotent(request, reply, businessOf(request), async () => {
      const id = await reverseAllocation(requestCtx(request), businessOf(request), (request.params as { id: string }).id, (request.body as Static<typeof ReasonBody>).reason);
      return { status: 201, body: { id } };
    }));
}
