/** Suppliers and the chart of accounts. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { isUniqueViolation } from '../../services/tx.js';
import { AppError } from '../../domain/errors.js';
import { createSupplier, deactivateSupplier, findSupplier, listSuppliers, supplierOf, updateSupplier, type Supplier } from '../../services/payables/suppliers.js';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { assertOwnBusiness, ok } from './envelope.js';

const SupplierBody = Type.Object({
  businessId: Type.Optional(Type.String({ maxLength: 64 })),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  phone: Type.Optional(Type.String({ maxLength: 32 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  taxId: Type.Optional(Type.String({ maxLength: 64 })),
  bankDetails: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
const AccountBody = Type.Object({
  businessId: Type.Optional(Type.String({ maxLength: 64 })),
  code: Type.String({ pattern: '^[0-9A-Za-z-]{1,16}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Union(['asset', 'liability', 'equity', 'income', 'expense'].map((t) => Type.Literal(t))),
}, { additionalProperties: false });
const BusinessQuery = Type.Object({ businessId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

const supplierJson = (s: Supplier) => ({ id: s.id, businessId: s.businessId, name: s.name, phone: s.phone, email: s.email, taxId: s.taxId, bankDetails: s.bankDetails, active: s.active, createdAt: s.createdAt, updatedAt: s.updatedAt });

export async function supplierAndAccountRoutes(app: FastifyInstance): Promise<void> {
  const admin = requireRole('admin');
  const reader = requireRole('admin', 'staff');
  const tags = ['payables'];
  const security = [{ bearer: [] }];
  const keys = () => app.services.keys;

  app.post('/suppliers', { preHandler: admin, schema: { tags, security, body: SupplierBody } }, async (request, reply) => {
    const body = request.body as Static<typeof SupplierBody>;
    assertOwnBusiness(body.businessId, businessOf(request));
    return ok(reply, supplierJson(await createSupplier(requestCtx(request), keys(), businessOf(request), body)), 201);
  });
  app.get('/suppliers', { preHandler: reader, schema: { tags, security, querystring: BusinessQuery } }, async (request, reply) => {
    assertOwnBusiness((request.query as { businessId: string }).businessId, businessOf(request));
    return ok(reply, (await listSuppliers(app.services.store.db, keys(), businessOf(request))).map(supplierJson));
  });
  app.get('/suppliers/:id', { preHandler: reader, schema: { tags, security, params: IdParams } }, async (request, reply) =>
    ok(reply, supplierJson(supplierOf(keys(), await findSupplier(app.services.store.db, businessOf(request), (request.params as { id: string }).id)))));
  app.put('/suppliers/:id', { preHandler: admin, schema: { tags, security, params: IdParams, body: SupplierBody } }, async (request, reply) => {
    const body = request.body as Static<typeof SupplierBody>;
    assertOwnBusiness(body.businessId, businessOf(request));
    return ok(reply, supplierJson(await updateSupplier(requestCtx(request), keys(), businessOf(request), (request.params as { id: string }).id, body)));
  });
  app.post('/suppliers/:id/deactivate', { preHandler: admin, schema: { tags, security, params: IdParams } }, async (request, reply) =>
    ok(reply, supplierJson(await deactivateSupplier(requestCtx(request), keys(), businessOf(request), (request.params as { id: string }).id))));

  app.get('/accounts', { preHandler: reader, schema: { tags, security, querystring: BusinessQuery } }, async (request, reply) => {
    assertOwnBusiness((request.query as { businessId: string }).businessId, businessOf(request));
    const rows = await app.services.store.db.selectFrom('accounts').select(['id', 'code', 'name', 'type', 'system_key', 'active']).where('business_id', '=', businessOf(request)).orderBy('code').execute();
    return ok(reply, rows.map((a) => ({ id: a.id, code: a.code, name: a.name, type: a.type, systemKey: a.system_key, active: a.active === 1 })));
  });
  app.post('/accounts', { preHandler: admin, schema: { tags, security, body: AccountBody } }, async (request, reply) => {
    const body = request.body as Static<typeof AccountBody>;
    const businessId = businessOf(request);
    assertOwnBusiness(body.businessId, businessId);
    const row = { id: newId('acct'), business_id: businessId, code: body.code, name: body.name.trim(), type: body.type, system_key: null, active: 1, created_at: app.services.clock.now().toISOString() };
    if (!row.name) throw invalid('name', 'is required');
    try {
      await app.services.store.db.insertInto('accounts').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', `account code ${body.code} already exists`, { field: 'code' });
      throw error;
    }
    return ok(reply, { id: row.id, code: row.code, name: row.name, type: row.type, systemKey: null, active: true }, 201);
  });
}
