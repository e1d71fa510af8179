/** Bills and their payments (seed 004), route for route. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseCurrency, parseMajor, parseRateBps } from '../../domain/money.js';
import { invalid } from '../../domain/errors.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { billDetail, findBill, listBills } from '../../services/payables/bill-queries.js';
import { payBill } from '../../services/payables/pay-bill.js';
import { createBill, updateBill, voidBill, type BillInput } from '../../services/payables/record-bill.js';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { assertOwnBusiness, money, ok } from './envelope.js';
import type { FastifyRequest } from 'fastify';

const Num = Type.Union([Type.Number(), Type.String({ maxLength: 32 })]);
const BillBody = Type.Object({
  businessId: Type.Optional(Type.String({ maxLength: 64 })),
  supplierId: Type.String({ minLength: 1, maxLength: 64 }),
  billDate: Type.String({ maxLength: 40 }),
  dueDate: Type.String({ maxLength: 40 }),
  lineItems: Type.Array(Type.Object({
    description: Type.String({ minLength: 1, maxLength: 500 }),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    unitPrice: Num,
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
  vatRate: Type.Optional(Num),
  notes: Type.Optional(Type.String({ maxLength: 4000 })),
  reference: Type.Optional(Type.String({ maxLength: 100 })),
  currency: Type.Optional(Type.String({ maxLength: 3 })),
}, { additionalProperties: false });
const PaymentBody = Type.Object({
  amount: Num,
  paymentDate: Type.Optional(Type.String({ maxLength: 40 })),
  paymentMethod: Type.Optional(Type.Union(['cash', 'bank_transfer', 'card', 'mobile_money', 'cheque'].map((m) => Type.Literal(m)))),
  whtRate: Type.Optional(Num),
  reference: Type.Optional(Type.String({ maxLength: 100 })),
  notes: Type.Optional(Type.String({ maxLength: 4000 })),
}, { additionalProperties: false });
const ListQuery = Type.Object({
  businessId: Type.String({ minLength: 1, maxLength: 64 }),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  status: Type.Optional(Type.Union(['draft', 'unpaid', 'partial', 'paid', 'overdue', 'voided'].map((s) => Type.Literal(s)))),
  supplierId: Type.Optional(Type.String({ maxLength: 64 })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
}, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const VoidBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

type Detail = Awaited<ReturnType<typeof billDetail>>;

function billJson(d: Pick<Detail, 'bill' | 'paidMinor' | 'dueMinor' | 'status'> & { lines?: Detail['lines'] }) {
  const b = d.bill;
  const c = b.currency;
  return {
    id: b.id, number: b.number, supplierId: b.supplier_id, reference: b.reference, currency: c, billDate: b.bill_date, dueDate: b.due_date,
    vatRate: b.vat_rate_bps / 100, ...money('subtotal', Number(b.subtotal_minor), c), ...money('vat', Number(b.vat_minor), c), ...money('total', Number(b.total_minor), c),
    ...money('amountPaid', d.paidMinor, c), ...money('amountDue', d.dueMinor, c), status: d.status, notes: b.notes, voidReason: b.void_reason,
    ...(d.lines ? { lineItems: d.lines.map((l) => ({ description: l.description, quantity: l.quantity, ...money('unitPrice', l.unitPriceMinor, c), accountId: l.accountId, ...money('lineTotal', l.subtotalMinor, c), ...money('vat', l.vatMinor, c) })) } : {}),
    createdAt: b.created_at, updatedAt: b.updated_at,
  };
}

async function billInput(request: FastifyRequest, body: Static<typeof BillBody>): Promise<BillInput> {
  const business = await getBusiness(request.server.services.store.db, businessOf(request));
  const currency = body.currency ? parseCurrency(body.currency) : business.currency;
  return {
    supplierId: body.supplierId, billDate: body.billDate, dueDate: body.dueDate, notes: body.notes ?? null, reference: body.reference ?? null, currency,
    vatRateBps: body.vatRate === undefined ? undefined : parseRateBps(body.vatRate, 'vatRate'),
    lines: body.lineItems.map((l, i) => ({ description: l.description, quantity: l.quantity, accountId: l.accountId, unitPriceMinor: parseMajor(l.unitPrice, currency, { field: `lineItems[${i}].unitPrice` }) })),
  };
}

export async function billRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const reader = requireRole('admin', 'staff');
  const tags = ['payables'];
  const security = [{ bearer: [] }];
  const detail = async (request: FastifyRequest, id: string) => {
    const business = await getBusiness(app.services.store.db, businessOf(request));
    return billDetail(app.services.store.db, business.id, id, business.timezone, app.services.clock.now());
  };

  app.get('/bills', { preHandler: reader, schema: { tags, security, querystring: ListQuery, summary: 'Bills, newest first; limit 50 by default, 100 at most; cursor for the next page' } }, async (request, reply) => {
    const q = request.query as Static<typeof ListQuery>;
    assertOwnBusiness(q.businessId, businessOf(request));
    const business = await getBusiness(app.services.store.db, businessOf(request));
    const limit = Number(q.limit ?? 50);
    if (limit < 1 || limit > 100) throw invalid('limit', 'must be 1 to 100');
    const page = await listBills(app.services.store.db, business.id, { status: q.status, supplierId: q.supplierId, cursor: q.cursor, limit }, business.timezone, app.services.clock.now());
    return reply.send({ success: true, data: page.bills.map((b) => billJson(b)), pagination: { limit, nextCursor: page.nextCursor, hasMore: page.nextCursor !== null } });
  });
  app.get('/bills/:id', { preHandler: reader, schema: { tags, security, params: IdParams } }, async (request, reply) => ok(reply, billJson(await detail(request, (request.params as { id: string }).id))));
  app.post('/bills', { preHandler: admin, schema: { tags, security, body: BillBody } }, async (request, reply) => {
    const body = request.body as Static<typeof BillBody>;
    assertOwnBusiness(body.businessId, businessOf(request));
    const id = await createBill(requestCtx(request), businessOf(request), await billInput(request, body));
    return ok(reply, billJson(await detail(request, id)), 201);
  });
  app.put('/bills/:id', { preHandler: admin, schema: { tags, security, params: IdParams, body: BillBody } }, async (request, reply) => {
    const body = request.body as Static<typeof BillBody>;
    assertOwnBusiness(body.businessId, businessOf(request));
    const id = (request.params as { id: string }).id;
    await findBill(app.services.store.db, businessOf(request), id);
    await updateBill(requestCtx(request), businessOf(request), id, await billInput(request, body));
    return ok(reply, billJson(await detail(request, id)));
  });
  app.post('/bills/:id/void', { preHandler: admin, schema: { tags, security, params: IdParams, body: VoidBody } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    await voidBill(requestCtx(request), businessOf(request), id, (request.body as Static<typeof VoidBody>).reason);
    return ok(reply, billJson(await detail(request, id)));
  });
  app.post('/bills/:id/payments', { preHandler: admin, schema: { tags, security, params: IdParams, body: PaymentBody, summary: 'amount is this payment in major units; WHT is withheld from it' } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const body = request.body as Static<typeof PaymentBody>;
    const bill = await findBill(app.services.store.db, businessOf(request), id);
    const paymentId = await payBill(requestCtx(request), businessOf(request), id, {
      amountMinor: parseMajor(body.amount, parseCurrency(bill.currency), { field: 'amount', allowZero: false, allowGrouping: false }),
      paymentDate: body.paymentDate, paymentMethod: body.paymentMethod, whtRateBps: body.whtRate === undefined ? undefined : parseRateBps(body.whtRate, 'whtRate'),
      reference: body.reference ?? null, notes: body.notes ?? null,
    });
    const d = await detail(request, id);
    return ok(reply, { paymentId, bill: billJson(d) }, 201);
  });
  app.get('/bills/:id/payments', { preHandler: reader, schema: { tags, security, params: IdParams } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const bill = await findBill(app.services.store.db, businessOf(request), id);
    const rows = await app.services.store.db.selectFrom('bill_payments').selectAll().where('bill_id', '=', id).orderBy('id').execute();
    return ok(reply, rows.map((p) => ({ id: p.id, billId: p.bill_id, ...money('amount', Number(p.amount_minor), bill.currency), whtRate: p.wht_rate_bps / 100, ...money('wht', Number(p.wht_minor), bill.currency),
      ...money('netPaid', Number(p.amount_minor) - Number(p.wht_minor), bill.currency), paymentDate: p.payment_date, paymentMethod: p.payment_method, reference: p.reference, notes: p.notes, createdAt: p.created_at })));
  });
}
