/** Editing an unpaid invoice (seed 002): fields, and items from the catalog or by hand. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalid, notFound } from '../../domain/errors.js';
import { parseCurrency, parseMajor, parseRateBps } from '../../domain/money.js';
import { addInvoiceItem, removeInvoiceItem, updateInvoice } from '../../services/invoices/edit-invoice.js';
import { findInvoice } from '../../services/invoices/invoice-queries.js';
import { getInvoiceDetail } from '../../services/invoices/get-invoice.js';
import { reminderTimeOf } from '../../services/notifications/notification-settings.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { DateText, IdParams, MajorAmount, Percent } from './schemas.js';
import { invoiceJson } from './serialize.js';
import { idempotent } from './idempotency.js';

const UpdateBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  notes: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Null()])),
  billed_period: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
  due_date: Type.Optional(DateText),
}, { additionalProperties: false });
const ItemBody = Type.Object({
  product_id: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  sku: Type.Optional(Type.String({ maxLength: 64 })),
  quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  unit_price: Type.Optional(MajorAmount),
  tax_rate: Type.Optional(Percent),
  variant_info: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

export async function invoiceEditRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const security = [{ bearer: [] }];
  const show = async (businessId: string, id: string) => invoiceJson(await getInvoiceDetail(app.services.store.db, businessId, id));

  app.put('/admin/invoices/:id', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Edit an unpaid invoice’s fields', params: IdParams, body: UpdateBody, security } }, async (request) => {
    const body = request.body as Static<typeof UpdateBody>;
    const businessId = businessOf(request);
    const id = (request.params as { id: string }).id;
    const shortcode = await app.services.store.db.selectFrom('shortcodes').select('shortcode').where('business_id', '=', businessId).orderBy('created_at').executeTakeFirst();
    await updateInvoice(requestCtx(request), businessId, id, { name: body.name, notes: body.notes, billedPeriod: body.billed_period, dueDate: body.due_date },
      { paybill: shortcode?.shortcode ?? null, publicUrl: app.services.config.publicUrl, remindersOn: true, reminderLocalTime: await reminderTimeOf(app.services.store.db, businessId) });
    return show(businessId, id);
  });

  app.post('/admin/invoices/:id/items', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Add an item (from a product, with overrides, or by hand) while nothing is paid', params: IdParams, body: ItemBody, security } }, async (request, reply) => {
    const body = request.body as Static<typeof ItemBody>;
    const businessId = businessOf(request);
    const id = (request.params as { id: string }).id;
    const invoice = await findInvoice(app.services.store.db, businessId, id);
    const currency = parseCurrency(invoice.currency);
    const product = body.product_id
      ? await app.services.store.db.selectFrom('products').selectAll().where('business_id', '=', businessId).where('id', '=', body.product_id).executeTakeFirst()
      : undefined;
    if (body.product_id && !product) throw notFound('product');
    if (product && product.currency !== currency && body.unit_price === undefined) throw invalid('unit_price', `the product is priced in ${product.currency}, the invoice in ${currency}: give unit_price`);
    const name = body.name ?? product?.name;
    if (!name) throw invalid('name', 'is required without a product_id');
    const unitPriceMinor = body.unit_price !== undefined ? parseMajor(body.unit_price, currency, { field: 'unit_price' }) : product ? Number(product.unit_price_minor) : undefined;
    if (unitPriceMinor === undefined) throw invalid('unit_price', 'is required without a product_id');
    const taxRateBps = body.tax_rate !== undefined ? parseRateBps(body.tax_rate, 'tax_rate') : product?.tax_rate_bps ?? 0;
    return idempotent(request, reply, businessId, async () => {
      await addInvoiceItem(requestCtx(request), businessId, id, {
        name, sku: body.sku ?? product?.sku ?? null, productId: product?.id ?? null, quantity: body.quantity ?? 1, unitPriceMinor, taxRateBps, variantInfo: body.variant_info ?? null,
      });
      return { status: 201, body: await show(businessId, id) };
    });
  });

  app.delete('/admin/invoices/:id/items/:item_id', { preHandler: admin, schema: { tags: ['invoices'], summary: 'Remove an item while nothing is paid', params: Type.Object({ id: Type.String({ maxLength: 64 }), item_id: Type.String({ maxLength: 64 }) }), security } }, async (request) => {
    const { id, item_id: itemId } = request.params as { id: string; item_id: string };
    const businessId = businessOf(request);
    await removeInvoiceItem(requestCtx(request), businessId, id, itemId);
    return show(businessId, id);
  });
}
