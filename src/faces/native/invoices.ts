/** Admin invoice routes (seed 002): create, read, issue, cancel. */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { addDays, localDate } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { parseCurrency, parseMajor, parseRateBps } from '../../domain/money.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { cancelInvoice } from '../../services/invoices/cancel-invoice.js';
import { createInvoice } from '../../services/invoices/create-invoices.js';
import { getInvoiceDetail } from '../../services/invoices/get-invoice.js';
import { issueInvoice } from '../../services/invoices/issue-invoice.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { idempotent } from './idempotency.js';
import { DateText, errorResponses, Id, IdParams, MajorAmount, Percent, ShortText } from './schemas.js';
import { invoiceJson } from './serialize.js';
import { normalisePhone } from '../../domain/phone.js';
import { parseEmail } from '../../domain/email.js';
import { enqueueMessages } from '../../jobs/outbox/enqueue.js';
import { invoiceMessages, type InvoiceMessageContext } from '../../services/invoices/invoice-messages.js';
import { momoOffered } from '../../services/momo/momo-settings.js';
import type { Q } from '../../services/tx.js';
import type { BusinessRow } from '../../storage/schema.js';
import { reminderTimeOf } from '../../services/notifications/notification-settings.js';

const CreateInvoiceBody = Type.Object({
  customer: Type.Object({
    account_reference: Type.String({ minLength: 1, maxLength: 64 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 32 })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
  }, { additionalProperties: false }),
  name: Type.Optional(ShortText),
  currency: Type.Optional(Type.String({ maxLength: 3 })),
  issue_date: Type.Optional(DateText),
  due_date: Type.Optional(DateText),
  payment_terms_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  billed_period: Type.Optional(Type.String({ maxLength: 100 })),
  notes: Type.Optional(Type.String({ maxLength: 4000 })),
  status: Type.Optional(Type.Union([Type.Literal('draft'), Type.Literal('open')])),
  items: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 500 }),
    sku: Type.Optional(Type.String({ maxLength: 64 })),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    unit_price: MajorAmount,
    tax_rate: Type.Optional(Percent),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });


export async function invoiceRoutes(base: FastifyInstance): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = requireRole('admin');
  const reader = requireRole('admin', 'staff');

  app.post('/admin/invoices', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Create an invoice (issued unless status is draft)', body: CreateInvoiceBody, response: errorResponses, security: [{ bearer: [] }] } },
    async (request, reply) => {
      const businessId = businessOf(request);
      return idempotent(request, reply, businessId, async () => {
        const ctx = requestCtx(request);
        const business = await getBusiness(ctx.store.db, businessId);
        const body = request.body as Static<typeof CreateInvoiceBody>;
        const currency = body.currency ? parseCurrency(body.currency) : business.currency;
        const issueDate = body.issue_date ?? localDate(ctx.clock.now(), business.timezone);
        if (body.due_date === undefined && body.payment_terms_days === undefined) throw invalid('due_date', 'give due_date or payment_terms_days');
        const dueDate = body.due_date ?? addDays(issueDate, body.payment_terms_days!);
        const phone = body.customer.phone ? normalisePhone(body.customer.phone, business.country, 'customer.phone') : null;
        const email = body.customer.email ? parseEmail(body.customer.email, 'customer.email') : null;
        const messageContext = await messageContextOf(ctx.store.db, business, request.server.services.config.publicUrl, currency);
        const created = await createInvoice(ctx, businessId, {
          customer: { accountRef: body.customer.account_reference, name: body.customer.name, phone, email },
          name: body.name ?? 'Invoice', currency, issueDate, dueDate, billedPeriod: body.billed_period ?? null, notes: body.notes ?? null,
          issue: body.status !== 'draft', source: 'native',
          items: body.items.map((item, i) => ({
            name: item.name, sku: item.sku ?? null, quantity: item.quantity ?? 1,
            unitPriceMinor: parseMajor(item.unit_price, currency, { field: `items[${i}].unit_price` }),
            taxRateBps: item.tax_rate === undefined ? 0 : parseRateBps(item.tax_rate, `items[${i}].tax_rate`),
          })),
        }, {
          // An issued invoice queues its SMS, email and reminders with it; a draft queues nothing.
          afterWrite: async (trx, [c]) => {
            if (c!.invoice.status !== 'draft') await enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), c!.invoice, c!.customer, messageContext));
          },
        });
        return { status: 201, body: invoiceJson(await getInvoiceDetail(ctx.store.db, businessId, created.invoice.id)) };
      });
    });

  app.get('/admin/invoices/:id', { preHandler: reader, schema: { tags: ['invoices'], summary: 'Invoice with items and payment summary', params: IdParams, security: [{ bearer: [] }] } },
    async (request) => invoiceJson(await getInvoiceDetail(request.server.services.store.db, businessOf(request), (request.params as { id: string }).id)));

  app.post('/admin/invoices/:id/issue', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Issue a draft invoice', params: IdParams, security: [{ bearer: [] }] } },
    async (request, reply) => {
      const businessId = businessOf(request);
      const id = (request.params as { id: string }).id;
      return idempotent(request, reply, businessId, async () => {
        const ctx = requestCtx(request);
        const business = await getBusiness(ctx.store.db, businessId);
        // Issuing queues what creating an issued invoice queues: SMS, email, reminders, the MoMo invoice.
        await issueInvoice(ctx, businessId, id, {
          afterWrite: async (trx, invoice, customer) => {
            const messageContext = await messageContextOf(trx, business, request.server.services.config.publicUrl, invoice.currency);
            await enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), invoice, customer, messageContext));
          },
        });
        return { status: 200, body: invoiceJson(await getInvoiceDetail(request.server.services.store.db, businessId, id)) };
      });
    });

  app.put('/admin/invoices/:id/cancel', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Cancel an invoice while nothing is paid (409 otherwise); optional body {"reason": "..."}', params: Type.Object({ id: Id }), security: [{ bearer: [] }] } },
    async (request) => {
      const businessId = businessOf(request);
      const id = (request.params as { id: string }).id;
      const reason = (request.body as { reason?: unknown } | undefined)?.reason;
      if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) throw invalid('reason', 'must be a string of at most 500 characters');
      await cancelInvoice(requestCtx(request), businessId, id, (reason as string | undefined) ?? 'cancelled by admin');
      return invoiceJson(await getInvoiceDetail(request.server.services.store.db, businessId, id));
    });
}

async function messageContextOf(q: Q, business: Pick<BusinessRow, 'id' | 'name' | 'timezone' | 'language'>, publicUrl: string, currency: string): Promise<InvoiceMessageContext> {
  const shortcode = await q.selectFrom('shortcodes').select('shortcode').where('business_id', '=', business.id).orderBy('created_at').executeTakeFirst();
  return { businessName: business.name, timezone: business.timezone, language: business.language, paybill: shortcode?.shortcode ?? null, publicUrl, remindersOn: true,
    reminderLocalTime: await reminderTimeOf(q, business.id), momo: (await momoOffered(q, business.id, currency)) !== undefined };
}
