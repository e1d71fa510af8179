/**
 * Seed 002's development routes under /api/test, registered only when BILLMANAGER_TEST_ROUTES=1
 * and NODE_ENV is not production (404 otherwise, as for any unknown path). They act for the
 * business of an admin token and go through the real services.
 */
import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { addDays, localDate } from '../../domain/clock.js';
import { notFound } from '../../domain/errors.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { insertShortcode } from '../../services/businesses/create-business.js';
import { createInvoice } from '../../services/invoices/create-invoices.js';
import { getInvoiceDetail } from '../../services/invoices/get-invoice.js';
import { applyStkResult } from '../../services/mpesa/stk-result.js';
import { paymentByReference } from '../../services/payments/payment-queries.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { invoiceJson, paymentJson } from './serialize.js';

export function testRoutesEnabled(flag: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag && env.NODE_ENV !== 'production';
}

const StkBody = Type.Object({ checkout_id: Type.String({ maxLength: 80 }), result_code: Type.Optional(Type.Integer()), amount: Type.Optional(Type.Number()) }, { additionalProperties: false });

export async function testRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const schema = { tags: ['test'], security: [{ bearer: [] }] };
  const db = () => app.services.store.db;

  app.post('/test/invoice', { preHandler: admin, schema }, async (request, reply) => {
    const businessId = businessOf(request);
    const business = await getBusiness(db(), businessId);
    const ref = `TEST-${randomInt(100_000, 999_999)}`;
    const { invoice } = await createInvoice(requestCtx(request), businessId, {
      customer: { accountRef: ref, name: 'Test Customer', phone: '+254708374149' }, name: 'Test invoice', dueDate: addDays(localDate(app.services.clock.now(), business.timezone), 14),
      items: [{ name: 'Test item A', quantity: 1, unitPriceMinor: 10_000, taxRateBps: 1600 }, { name: 'Test item B', quantity: 2, unitPriceMinor: 2_550, taxRateBps: 0 }],
    });
    return reply.status(201).send(invoiceJson(await getInvoiceDetail(db(), businessId, invoice.id)));
  });

  app.post('/test/payment-methods/seed', { preHandler: admin, schema }, async (request) => {
    const businessId = businessOf(request);
    let shortcode = (await db().selectFrom('shortcodes').select('shortcode').where('business_id', '=', businessId).executeTakeFirst())?.shortcode;
    for (let tries = 0; !shortcode && tries < 20; tries++) {
      const candidate = String(randomInt(600_000, 699_999));
      if (await db().selectFrom('shortcodes').select('id').where('shortcode', '=', candidate).executeTakeFirst()) continue;
      await insertShortcode(db(), businessId, candidate, 'paybill', app.services.clock.now().toISOString());
      shortcode = candidate;
    }
    return { methods: [{ method: 'mpesa_paybill', shortcode }, { method: 'cod' }], note: 'STK push needs PUT /api/admin/rails/mpesa; Pesapal is not available yet' };
  });

  app.post('/test/mpesa/callback', { preHandler: admin, schema: { ...schema, body: StkBody } }, async (request) => {
    const body = request.body as Static<typeof StkBody>;
    const stk = await db().selectFrom('stk_requests').select(['business_id', 'amount_minor']).where('checkout_request_id', '=', body.checkout_id).executeTakeFirst();
    if (!stk || stk.business_id !== businessOf(request)) throw notFound('checkout');
    const resultCode = body.result_code ?? 0;
    const applied = await applyStkResult(requestCtx(request), body.checkout_id, { resultCode, resultDesc: resultCode === 0 ? 'simulated success' : 'simulated failure', receipt: resultCode === 0 ? `TEST${randomInt(100_000, 999_999)}` : null, amountMinor: null });
    return { checkout_id: body.checkout_id, ...applied };
  });

  app.post('/test/pesapal/ipn', { preHandler: admin, schema: { ...schema, body: Type.Object({ OrderTrackingId: Type.String({ maxLength: 80 }), OrderMerchantReference: Type.Optional(Type.String({ maxLength: 80 })) }, { additionalProperties: false }) } },
    async (request) => {
      const body = request.body as { OrderTrackingId: string; OrderMerchantReference?: string };
      const order = await db().selectFrom('pesapal_orders').select('business_id').where('tracking_id', '=', body.OrderTrackingId).executeTakeFirst();
      if (!order || order.business_id !== businessOf(request)) throw notFound('Pesapal order');
      // The same path as a real IPN: the order is confirmed with Pesapal's status API, never from this call.
      const res = await app.inject({ method: 'POST', url: '/api/callbacks/pesapal/ipn', payload: { OrderTrackingId: body.OrderTrackingId, OrderMerchantReference: body.OrderMerchantReference ?? '', OrderNotificationType: 'IPNCHANGE' } });
      return res.json() as unknown;
    });

  app.get('/test/invoice/:id', { preHandler: admin, schema: { ...schema, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (request) => {
    const businessId = businessOf(request);
    const id = (request.params as { id: string }).id;
    const journal = await db().selectFrom('journal_entries').select(['id', 'kind', 'memo', 'created_at']).where('business_id', '=', businessId).where('invoice_id', '=', id).orderBy('id').execute();
    return { ...invoiceJson(await getInvoiceDetail(db(), businessId, id)), journal };
  });

  app.get('/test/transaction/:reference', { preHandler: admin, schema: { ...schema, params: Type.Object({ reference: Type.String({ maxLength: 100 }) }) } }, async (request) => {
    const payment = await paymentByReference(db(), businessOf(request), (request.params as { reference: string }).reference);
    const journal = await db().selectFrom('journal_entries').select(['id', 'kind', 'memo', 'created_at']).where('payment_id', '=', payment.id).orderBy('id').execute();
    return { ...paymentJson(payment), gateway_data: payment.raw_payload ? JSON.parse(payment.raw_payload) as unknown : null, journal };
  });
}
