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
import { notFound } from '../../domain/errors.js';
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

const MatchBody = Type.Object({ invoice_id: Type.Optional(Id), customer_id: Type.Optional(Id) }, { additionalProperties: false });
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

  app.get('/admin/payments/:id', { preHandler: collector, schema: { tags: ['payments'], params: IdParams, security } }, async (request) => {
    const row = await request.server.services.store.db.selectFrom('payments').selectAll()
      .where('business_id', '=', businessOf(request)).where('id', '=', (request.params as { id: string }).id).executeTakeFirst();
    if (!row) throw notFound('payment');
    return paymentJson(row);
  });

  app.post('/admin/payments/:id/match', { preHandler: admin, schema: { tags: ['payments'], summary: 'Match a payment waiting in suspense to an invoice or customer', params: IdParams, body: MatchBody, security } },
    async (request) => {
      const body = request.body as Static<typeof MatchBody>;
      const applied = await matchSuspensePayment(requestCtx(request), businessOf(request), (request.params as { id: string }).id, { invoiceId: body.invoice_id, customerId: body.customer_id });
      return { allocations: applied.map((a) => ({ id: a.id, invoice_id: a.invoiceId, amount_minor: a.amountMinor })) };
    });

  app.post('/admin/payments/:id/refund', { preHandler: admin, schema: { tags: ['payments'], summary: 'Refund unapplied money of a payment', params: IdParams, body: RefundBody, security } },
    async (request, reply) => {
      const businessId = businessOf(request);
      const ctx = requestCtx(request);
      const body = request.body as Static<typeof RefundBody>;
      const id = (request.params as { id: string }).id;
      const payment = await ctx.store.db.selectFrom('payments').select('currency').where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
      if (!payment) throw notFound('payment');
      const refundId = await refundPayment(ctx, businessId, id, parseMajor(body.amount, parseCurrency(payment.currency), { allowZero: false }), body.reason);
      return reply.status(201).send({ id: refundId });
    });

  app.post('/admin/allocations/:id/reverse', { preHandler: admin, schema: { tags: ['payments'], summary: 'Unapply a payment from an invoice (a reversing allocation)', params: IdParams, body: ReasonBody, security } },
    async (request, reply) => {
      const id = await reverseAllocation(requestCtx(request), businessOf(request), (request.params as { id: string }).id, (request.body as Static<typeof ReasonBody>).reason);
      return reply.status(201).send({ id });
    });
}
