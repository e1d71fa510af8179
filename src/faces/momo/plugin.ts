/**
 * MTN MoMo through the native API: the business's settings (admin), the pay page's MoMo invoice
 * (USSD string and reference) and request-to-pay with its status (public, by the invoice's id or
 * token), and MTN's callback, which may come as PUT or POST. A callback is kept raw and answered
 * 200; what it claims is checked by reading the status from MTN before anything is credited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalid, notFound } from '../../domain/errors.js';
import { ensureMomoInvoice } from '../../services/momo/momo-invoices.js';
import { momoPresentation } from '../../services/momo/momo-presentation.js';
import { momoSettingsOf, publicMomoSettings, putMomoSettings } from '../../services/momo/momo-settings.js';
import { requestMomoPayment } from '../../services/momo/request-to-pay.js';
import { settleMomoRequest } from '../../services/momo/settle-momo.js';
import { recordCallback } from '../../services/mpesa/record-callback.js';
import type { MomoRequestsTable } from '../../storage/schema-momo.js';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { idempotent } from '../native/idempotency.js';

const SettingsBody = Type.Object({
  subscription_key: Type.String({ minLength: 1, maxLength: 200 }),
  api_user: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  api_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  environment: Type.String({ minLength: 1, maxLength: 40, description: 'sandbox, mtnuganda, mtnghana, …' }),
  base_url: Type.Optional(Type.String({ minLength: 1, maxLength: 300, description: 'a simulator or proxy instead of MTN’s host' })),
  currency: Type.Optional(Type.String({ minLength: 3, maxLength: 3 })),
  ussd_prefix: Type.Optional(Type.String({ minLength: 2, maxLength: 20, description: 'MoMoPay short code string, e.g. *165*3' })),
  payee_msisdn: Type.Optional(Type.String({ minLength: 8, maxLength: 15 })),
  enabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const InvoiceBody = Type.Object({ invoice_id: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false });
const RequestBody = Type.Object({
  invoice_id: Type.String({ minLength: 1, maxLength: 80 }),
  phone_number: Type.String({ minLength: 9, maxLength: 20 }),
  amount: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()])),
}, { additionalProperties: false });
/** The public status route asks MTN at most this often per request; the poll job and callbacks do the rest. */
const STATUS_LOOK_MS = 3_000;
const ReferenceParams = Type.Object({ reference: Type.String({ minLength: 1, maxLength: 64 }) });

function requestJson(row: MomoRequestsTable) {
  return { reference: row.id, kind: row.kind, status: row.status, momo_status: row.momo_status, payment_reference: row.payment_reference, amount_minor: Number(row.amount_minor),
    currency: row.currency, expires_at: row.expires_at, reason: row.reason, payment_id: row.payment_id, updated_at: row.updated_at };
}

export async function momoRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  const services = () => app.services;
  const payerCtx = (request: FastifyRequest) => ({ store: services().store, clock: services().clock, actor: { type: 'user' as const, id: 'payer', requestId: request.id } });
  const invoiceByIdOrToken = async (key: string) => {
    const invoice = await services().store.db.selectFrom('invoices').select(['id', 'business_id']).where((eb) => eb.or([eb('id', '=', key), eb('public_token', '=', key)])).executeTakeFirst();
    if (!invoice) throw notFound('invoice');
    return invoice;
  };

  app.put('/admin/rails/momo', { preHandler: requireRole('admin'), schema: { tags: ['rails'], summary: 'Save MTN MoMo settings (secrets sealed); in sandbox the API user and key are provisioned when left out', body: SettingsBody, security } },
    async (request) => {
      const body = request.body as Static<typeof SettingsBody>;
      return putMomoSettings(requestCtx(request), services().keys, businessOf(request), {
        subscriptionKey: body.subscription_key, apiUser: body.api_user, apiKey: body.api_key, environment: body.environment, baseUrl: body.base_url,
        currency: body.currency, ussdPrefix: body.ussd_prefix, payeeMsisdn: body.payee_msisdn, enabled: body.enabled,
      }, services().config.publicUrl);
    });
  app.get('/admin/rails/momo', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['rails'], summary: 'The MTN MoMo settings, without secrets', security } },
    async (request) => publicMomoSettings(await momoSettingsOf(services().store.db, businessOf(request))));

  app.post('/payments/momo/invoice', { schema: { tags: ['checkout'], summary: 'The invoice’s live MoMo invoice (created or re-issued when needed): payment reference and USSD string', body: InvoiceBody } },
    async (request) => {
      const invoice = await invoiceByIdOrToken((request.body as Static<typeof InvoiceBody>).invoice_id);
      const row = await ensureMomoInvoice(payerCtx(request), services().keys, invoice.business_id, invoice.id, services().config.publicUrl);
      if (!row) throw invalid('invoice_id', 'MTN MoMo is not offered for this invoice');
      const shown = await momoPresentation(services().store.db, invoice.id, services().clock.now());
      return { ...requestJson(row), ussd: shown?.ussd ?? null, instructions: shown?.instructions ?? null };
    });

  app.post('/payments/momo/request-to-pay', { schema: { tags: ['checkout'], summary: 'Prompt the payer’s phone to approve a MoMo payment; amount defaults to the balance', body: RequestBody } },
    async (request, reply) => {
      const body = request.body as Static<typeof RequestBody>;
      const invoice = await invoiceByIdOrToken(body.invoice_id);
      return idempotent(request, reply, invoice.business_id, async () => {
        const row = await requestMomoPayment(payerCtx(request), services().keys, invoice.business_id, { invoiceId: invoice.id, phone: body.phone_number, amount: body.amount }, services().config.publicUrl);
        return { status: 202, body: requestJson(row) };
      });
    });

  app.get('/payments/momo/:reference/status', { schema: { tags: ['checkout'], summary: 'A MoMo request’s status; asks MTN when it is still open', params: ReferenceParams } },
    async (request) => {
      const id = (request.params as { reference: string }).reference;
      const row = await settleMomoRequest(payerCtx(request), services().keys, id, { notWithinMs: STATUS_LOOK_MS });
      if (!row) throw notFound('MoMo request');
      return requestJson(row);
    });

  const callback = async (request: FastifyRequest) => {
    const id = (request.params as { reference: string }).reference;
    const { store, clock, keys } = services();
    const row = await store.db.selectFrom('momo_requests').select(['id', 'business_id']).where('id', '=', id).executeTakeFirst();
    let outcome = row ? 'looked up' : 'unknown reference';
    if (row) {
      try {
        const settled = await settleMomoRequest({ store, clock, actor: { type: 'provider', id: 'mtn-momo', requestId: request.id } }, keys, id);
        outcome = `status ${settled?.status ?? 'gone'}`;
      } catch (error) {
        // MTN could not be asked now; the poll job will. The callback itself is kept either way.
        outcome = `status read failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    await recordCallback(store.db, clock.now(), { businessId: row?.business_id ?? null, kind: `momo_callback_${request.method.toLowerCase()}`, outcome, remoteIp: request.ip, body: request.body ?? null });
    if (!row) throw notFound('MoMo request');
    return {};
  };
  app.put('/callbacks/momo/:reference', { schema: { tags: ['callbacks'], summary: 'MTN MoMo callback (PUT delivery)', params: ReferenceParams } }, callback);
  app.post('/callbacks/momo/:reference', { schema: { tags: ['callbacks'], summary: 'MTN MoMo callback (POST delivery)', params: ReferenceParams } }, callback);
}
