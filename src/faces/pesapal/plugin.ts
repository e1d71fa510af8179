/**
 * Pesapal through the native API (seed 002): settings (admin), initiate and status (public, by the
 * invoice's id or token), the browser return, and the IPN by GET or POST, answered with Pesapal's
 * expected body once the order is confirmed with GetTransactionStatus (a 500 makes Pesapal retry).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalid, notFound } from '../../domain/errors.js';
import { parseHttpBaseUrl } from '../../domain/urls.js';
import { ipnAck } from '../../rails/pesapal/pesapal-client.js';
import { confirmPesapalOrder, initiatePesapal, putPesapalSettings } from '../../services/pesapal/pesapal-orders.js';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { idempotent } from '../native/idempotency.js';

const SettingsBody = Type.Object({
  consumer_key: Type.String({ minLength: 1, maxLength: 200 }),
  consumer_secret: Type.String({ minLength: 1, maxLength: 200 }),
  environment: Type.String({ minLength: 1, maxLength: 300, description: 'sandbox, live, or a base URL' }),
  ipn_type: Type.Optional(Type.Union([Type.Literal('GET'), Type.Literal('POST')])),
}, { additionalProperties: false });
const InitiateBody = Type.Object({ invoice_id: Type.String({ minLength: 1, maxLength: 80 }), amount: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()])), currency: Type.Optional(Type.String({ maxLength: 3 })) }, { additionalProperties: false });

export async function pesapalRoutes(app: FastifyInstance): Promise<void> {
  const services = () => app.services;
  const publicCtx = (request: FastifyRequest) => ({ store: services().store, clock: services().clock, actor: { type: 'provider' as const, id: 'pesapal', requestId: request.id } });

  app.put('/admin/rails/pesapal', { preHandler: requireRole('admin'), schema: { tags: ['rails'], summary: 'Save Pesapal credentials (secret sealed) and register our IPN URL', body: SettingsBody, security: [{ bearer: [] }] } }, async (request) => {
    const body = request.body as Static<typeof SettingsBody>;
    const baseUrl = body.environment === 'sandbox' ? 'https://cybqa.pesapal.com/pesapalv3' : body.environment === 'live' ? 'https://pay.pesapal.com/v3'
      : parseHttpBaseUrl(body.environment, 'environment', 'must be sandbox, live or a base URL');
    const saved = await putPesapalSettings(requestCtx(request), services().keys, businessOf(request), { consumerKey: body.consumer_key, consumerSecret: body.consumer_secret, baseUrl, ipnType: body.ipn_type }, services().config.publicUrl);
    return { ipn_id: saved.ipnId, consumer_key: body.consumer_key };
  });

  app.post('/payments/pesapal/initiate', { schema: { tags: ['checkout'], summary: 'Start a card payment; answers the redirect URL', body: InitiateBody } }, async (request, reply) => {
    const body = request.body as Static<typeof InitiateBody>;
    const invoice = await services().store.db.selectFrom('invoices').select(['id', 'business_id']).where((eb) => eb.or([eb('id', '=', body.invoice_id), eb('public_token', '=', body.invoice_id)])).executeTakeFirst();
    if (!invoice) throw notFound('invoice');
    return idempotent(request, reply, invoice.business_id, async () => {
      const started = await initiatePesapal({ store: services().store, clock: services().clock, actor: { type: 'user', id: 'payer', requestId: request.id } }, services().keys, invoice.business_id,
        { invoiceId: invoice.id, amount: body.amount, currency: body.currency }, services().config.publicUrl);
      return { status: 201, body: { tracking_id: started.trackingId, redirect_url: started.redirectUrl, merchant_reference: started.merchantReference, amount_minor: started.amountMinor } };
    });
  });

  app.get('/payments/pesapal/:tracking_id/status', { schema: { tags: ['checkout'], params: Type.Object({ tracking_id: Type.String({ minLength: 1, maxLength: 80 }) }) } }, async (request) => {
    const trackingId = (request.params as { tracking_id: string }).tracking_id;
    const confirmed = await confirmPesapalOrder(publicCtx(request), services().keys, trackingId);
    return { tracking_id: trackingId, status: confirmed.status };
  });

  app.get('/payments/pesapal/return', { schema: { tags: ['checkout'], summary: 'Where Pesapal sends the payer back', querystring: Type.Object({ OrderTrackingId: Type.String({ maxLength: 80 }), OrderMerchantReference: Type.Optional(Type.String({ maxLength: 80 })), OrderNotificationType: Type.Optional(Type.String({ maxLength: 40 })) }) } },
    async (request, reply) => {
      const trackingId = (request.query as { OrderTrackingId: string }).OrderTrackingId;
      const confirmed = await confirmPesapalOrder(publicCtx(request), services().keys, trackingId);
      const order = await services().store.db.selectFrom('pesapal_orders').innerJoin('invoices', 'invoices.id', 'pesapal_orders.invoice_id').select('invoices.public_token').where('pesapal_orders.tracking_id', '=', trackingId).executeTakeFirstOrThrow();
      return reply.redirect(`${services().config.publicUrl}/i/${order.public_token}?payment=${encodeURIComponent(confirmed.status)}`);
    });

  const handleIpn = async (request: FastifyRequest) => {
    const source = (request.method === 'GET' ? request.query : request.body) as Record<string, unknown> | undefined;
    const trackingId = String(source?.OrderTrackingId ?? '');
    const reference = String(source?.OrderMerchantReference ?? '');
    if (!trackingId) throw invalid('OrderTrackingId', 'is required');
    const confirmed = await confirmPesapalOrder(publicCtx(request), services().keys, trackingId);
    return ipnAck(trackingId, reference || confirmed.merchantReference, String(source?.OrderNotificationType ?? 'IPNCHANGE'));
  };
  app.get('/callbacks/pesapal/ipn', { schema: { tags: ['callbacks'], summary: 'Pesapal IPN (GET delivery)' } }, handleIpn);
  app.post('/callbacks/pesapal/ipn', { schema: { tags: ['callbacks'], summary: 'Pesapal IPN (POST delivery)' } }, handleIpn);
}
