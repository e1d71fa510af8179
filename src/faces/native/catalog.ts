/** The catalog: products, tax rates and currencies a business invoices with. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { AppError, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { CURRENCIES, exponentOf, formatMajor, formatRateBps, parseCurrency, parseMajor, parseRateBps } from '../../domain/money.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { isUniqueViolation } from '../../services/tx.js';
import type { ProductsTable } from '../../storage/schema.js';
import { businessOf, requireRole } from './auth.js';
import { IdParams, MajorAmount, Percent } from './schemas.js';
import { idempotent } from './idempotency.js';

const ProductBody = Type.Object({
  sku: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  unit_price: MajorAmount,
  currency: Type.Optional(Type.String({ maxLength: 3 })),
  tax_rate: Type.Optional(Percent),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
const TaxBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), rate: Percent, active: Type.Optional(Type.Boolean()) }, { additionalProperties: false });

const productJson = (p: ProductsTable) => {
  const c = parseCurrency(p.currency);
  return { id: p.id, sku: p.sku, name: p.name, currency: c, unit_price: formatMajor(Number(p.unit_price_minor), c), unit_price_minor: Number(p.unit_price_minor), tax_rate: formatRateBps(p.tax_rate_bps), active: p.active === 1 };
};

const conflictOn = async <T>(field: string, work: () => Promise<T>): Promise<T> => {
  try { return await work(); } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `${field} already exists`, { field });
    throw error;
  }
};

export async function catalogRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const reader = requireRole('admin', 'staff');
  const security = [{ bearer: [] }];
  const db = () => app.services.store.db;

  app.get('/admin/products', { preHandler: reader, schema: { tags: ['catalog'], security } }, async (request) =>
    ({ data: (await db().selectFrom('products').selectAll().where('business_id', '=', businessOf(request)).orderBy('sku').limit(1000).execute()).map(productJson) }));
  app.post('/admin/products', { preHandler: admin, schema: { tags: ['catalog'], security, body: ProductBody } }, async (request, reply) => {
    const body = request.body as Static<typeof ProductBody>;
    const businessId = businessOf(request);
    const currency = body.currency ? parseCurrency(body.currency) : (await getBusiness(db(), businessId)).currency;
    const now = app.services.clock.now().toISOString();
    const row: ProductsTable = { id: newId('prod'), business_id: businessId, sku: body.sku, name: body.name.trim(), currency, unit_price_minor: parseMajor(body.unit_price, currency, { field: 'unit_price' }),
      tax_rate_bps: body.tax_rate === undefined ? 0 : parseRateBps(body.tax_rate, 'tax_rate'), active: body.active === false ? 0 : 1, created_at: now, updated_at: now };
    return idempotent(request, reply, businessId, async () => {
      await conflictOn('sku', () => db().insertInto('products').values(row).execute());
      return { status: 201, body: productJson(row) };
    });
  });
  app.put('/admin/products/:id', { preHandler: admin, schema: { tags: ['catalog'], security, params: IdParams, body: ProductBody } }, async (request) => {
    const body = request.body as Static<typeof ProductBody>;
    const businessId = businessOf(request);
    const existing = await db().selectFrom('products').selectAll().where('business_id', '=', businessId).where('id', '=', (request.params as { id: string }).id).executeTakeFirst();
    if (!existing) throw notFound('product');
    const currency = body.currency ? parseCurrency(body.currency) : parseCurrency(existing.currency);
    const row = { ...existing, sku: body.sku, name: body.name.trim(), currency, unit_price_minor: parseMajor(body.unit_price, currency, { field: 'unit_price' }),
      tax_rate_bps: body.tax_rate === undefined ? existing.tax_rate_bps : parseRateBps(body.tax_rate, 'tax_rate'), active: body.active === undefined ? existing.active : body.active ? 1 : 0, updated_at: app.services.clock.now().toISOString() };
    await conflictOn('sku', () => db().updateTable('products').set(row).where('id', '=', existing.id).execute());
    return productJson(row);
  });

  app.get('/admin/taxes', { preHandler: reader, schema: { tags: ['catalog'], security } }, async (request) =>
    ({ data: (await db().selectFrom('tax_rates').selectAll().where('business_id', '=', businessOf(request)).orderBy('name').execute()).map((t) => ({ id: t.id, name: t.name, rate: formatRateBps(t.rate_bps), active: t.active === 1 })) }));
  app.post('/admin/taxes', { preHandler: admin, schema: { tags: ['catalog'], security, body: TaxBody } }, async (request, reply) => {
    const body = request.body as Static<typeof TaxBody>;
    const row = { id: newId('tax'), business_id: businessOf(request), name: body.name.trim(), rate_bps: parseRateBps(body.rate, 'rate'), active: body.active === false ? 0 : 1, created_at: app.services.clock.now().toISOString() };
    return idempotent(request, reply, row.business_id, async () => {
      await conflictOn('name', () => db().insertInto('tax_rates').values(row).execute());
      return { status: 201, body: { id: row.id, name: row.name, rate: formatRateBps(row.rate_bps), active: row.active === 1 } };
    });
  });
  app.put('/admin/taxes/:id', { preHandler: admin, schema: { tags: ['catalog'], security, params: IdParams, body: TaxBody } }, async (request) => {
    const body = request.body as Static<typeof TaxBody>;
    const result = await conflictOn('name', () => db().updateTable('tax_rates').set({ name: body.name.trim(), rate_bps: parseRateBps(body.rate, 'rate'), ...(body.active === undefined ? {} : { active: body.active ? 1 : 0 }) })
      .where('business_id', '=', businessOf(request)).where('id', '=', (request.params as { id: string }).id).executeTakeFirst());
    if (Number(result.numUpdatedRows) === 0) throw notFound('tax rate');
    return { id: (request.params as { id: string }).id, name: body.name.trim(), rate: formatRateBps(parseRateBps(body.rate, 'rate')) };
  });

  app.get('/admin/currencies', { preHandler: reader, schema: { tags: ['catalog'], security, summary: 'Currencies this platform invoices in, with their minor-unit digits; the business default first' } }, async (request) => {
    const own = (await getBusiness(db(), businessOf(request))).currency;
    return { default: own, data: [own, ...CURRENCIES.filter((c) => c !== own)].map((code) => ({ code, minor_unit_digits: exponentOf(code) })) };
  });
}
