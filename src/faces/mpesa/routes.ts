/**
 * M-PESA through the native API: the business's Daraja settings and URL registration (admin), and
 * the pay page's STK push with its status (public: the invoice id is unguessable, and the answers
 * say nothing beyond that one push).
 */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalid, notFound } from '../../domain/errors.js';
import { parseMajor } from '../../domain/money.js';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { idempotent } from '../native/idempotency.js';
import { mpesaSettingsOf, publicSettings, putMpesaSettings } from '../../services/mpesa/mpesa-settings.js';
import { registerC2bUrls } from '../../services/mpesa/register-urls.js';
import { initiateStkPush } from '../../services/mpesa/stk-push.js';

const SettingsBody = Type.Object({
  shortcode: Type.String({ pattern: '^[0-9]{5,7}$' }),
  shortcode_type: Type.Union([Type.Literal('paybill'), Type.Literal('till')]),
  consumer_key: Type.String({ minLength: 1, maxLength: 200 }),
  consumer_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  passkey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  environment: Type.String({ minLength: 1, maxLength: 300, description: 'sandbox, production, or a base URL (simulator, proxy)' }),
  response_type: Type.Optional(Type.Union([Type.Literal('Completed'), Type.Literal('Cancelled')])),
  reject_unknown_accounts: Type.Optional(Type.Boolean()),
  allow_prepayment: Type.Optional(Type.Boolean()),
  allowed_ips: Type.Optional(Type.Array(Type.String({ maxLength: 45 }), { maxItems: 50 })),
}, { additionalProperties: false });

const InitiateBody = Type.Object({
  invoice_id: Type.String({ minLength: 1, maxLength: 64 }),
  phone_number: Type.String({ minLength: 9, maxLength: 20 }),
  amount: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Number()])),
}, { additionalProperties: false });

export async function mpesaRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  app.put('/admin/rails/mpesa', { preHandler: requireRole('admin'), schema: { tags: ['rails'], summary: 'Save the business’s Daraja settings (secrets sealed at rest)', body: SettingsBody, security } },
    async (request) => {
      const body = request.body as Static<typeof SettingsBody>;
      const businessId = businessOf(request);
      await putMpesaSettings(requestCtx(request), request.server.services.keys, businessId, {
        shortcode: body.shortcode, shortcodeType: body.shortcode_type, consumerKey: body.consumer_key, consumerSecret: body.consumer_secret, passkey: body.passkey,
        environment: body.environment, responseType: body.response_type, rejectUnknownAccounts: body.reject_unknown_accounts, allowPrepayment: body.allow_prepayment, allowedIps: body.allowed_ips,
      });
      return publicSettings(await mpesaSettingsOf(request.server.services.store.db, businessId));
    });
  app.get('/admin/rails/mpesa', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['rails'], summary: 'The Daraja settings, without secrets', security } },
    async (request) => publicSettings(await mpesaSettingsOf(request.server.services.store.db, businessOf(request))));
  app.post('/admin/rails/mpesa/register-urls', {
    preHandler: requireRole('admin'),
    schema: { tags: ['rails'], summary: 'Register our C2B validation and confirmation URLs with Daraja (optional body {"version": "v1"|"v2"})', security },
  }, async (request) => {
    const version = (request.body as { version?: unknown } | undefined)?.version;
    if (version !== undefined && version !== 'v1' && version !== 'v2') throw invalid('version', 'must be v1 or v2');
    const registered = await registerC2bUrls(requestCtx(request), request.server.services.keys, businessOf(request), request.server.services.config.publicUrl, version as 'v1' | 'v2' | undefined);
    return { shortcode: registered.shortcode, response_type: registered.responseType, validation_url: registered.validationUrl, confirmation_url: registered.confirmationUrl };
  });

  app.post('/payments/mpesa/initiate', { schema: { tags: ['checkout'], summary: 'STK push for an invoice: amount defaults to the balance', body: InitiateBody } },
    async (request, reply) => {
      const body = request.body as Static<typeof InitiateBody>;
      const db = request.server.services.store.db;
      const invoice = await db.selectFrom('invoices').select(['id', 'business_id'])
        .where((eb) => eb.or([eb('id', '=', body.invoice_id), eb('public_token', '=', body.invoice_id)])).executeTakeFirst();
      if (!invoice) throw notFound('invoice');
      return idempotent(request, reply, invoice.business_id, async () => {
        const amountMinor = body.amount === undefined ? undefined : parseMajor(body.amount, 'KES', { field: 'amount', allowZero: false });
        const { store, clock, keys, config } = request.server.services;
        const started = await initiateStkPush({ store, clock, actor: { type: 'user', id: 'payer', requestId: request.id } }, keys, invoice.business_id,
          { invoiceId: invoice.id, phone: body.phone_number, amountMinor }, config.publicUrl);
        return { status: 202, body: { checkout_id: started.checkoutRequestId, amount_minor: started.amountMinor, status: 'pending', message: started.customerMessage } };
      });
    });

  app.get('/payments/mpesa/:checkout_id/status', { schema: { tags: ['checkout'], summary: 'Status of an STK push, from our records', params: Type.Object({ checkout_id: Type.String({ minLength: 1, maxLength: 80 }) }) } },
    async (request) => {
      const checkoutId = (request.params as { checkout_id: string }).checkout_id;
      const row = await request.server.services.store.db.selectFrom('stk_requests').select(['status', 'result_code', 'result_desc', 'amount_minor', 'receipt', 'updated_at'])
        .where('checkout_request_id', '=', checkoutId).executeTakeFirst();
      if (!row) throw notFound('checkout');
      return { checkout_id: checkoutId, status: row.status, result_code: row.result_code, result_desc: row.result_desc, amount_minor: Number(row.amount_minor), receipt: row.receipt, updated_at: row.updated_at };
    });
}
