/** Suppliers: personal data sealed at rest and opened for responses; only an active supplier can be billed. */
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { open, seal, type KeyRing } from '../../security/secret-box.js';
import type { SuppliersTable } from '../../storage/schema-payables.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';

export interface SupplierInput { name: string; phone?: string | null; email?: string | null; taxId?: string | null; bankDetails?: string | null }

export interface Supplier { id: string; businessId: string; name: string; phone: string | null; email: string | null; taxId: string | null; bankDetails: string | null; active: boolean; createdAt: string; updatedAt: string }

const sealOrNull = (keys: KeyRing, value: string | null | undefined) => (value ? seal(keys, value) : null);
const openOrNull = (keys: KeyRing, value: string | null) => (value ? open(keys, value) : null);

export function supplierOf(keys: KeyRing, row: SuppliersTable): Supplier {
  return { id: row.id, businessId: row.business_id, name: open(keys, row.name_sealed), phone: openOrNull(keys, row.phone_sealed), email: openOrNull(keys, row.email_sealed),
    taxId: openOrNull(keys, row.tax_id_sealed), bankDetails: openOrNull(keys, row.bank_details_sealed), active: row.active === 1, createdAt: row.created_at, updatedAt: row.updated_at };
}

function checked(input: SupplierInput): SupplierInput {
  if (!input.name?.trim()) throw invalid('name', 'is required');
  if (input.name.length > 200) throw invalid('name', 'must be at most 200 characters');
  return { ...input, name: input.name.trim() };
}

export async function createSupplier(ctx: Ctx, keys: KeyRing, businessId: string, input: SupplierInput): Promise<Supplier> {
  const i = checked(input);
  const now = ctx.clock.now().toISOString();
  const row: SuppliersTable = { id: newId('sup'), business_id: businessId, name_sealed: seal(keys, i.name), phone_sealed: sealOrNull(keys, i.phone), email_sealed: sealOrNull(keys, i.email),
    tax_id_sealed: sealOrNull(keys, i.taxId), bank_details_sealed: sealOrNull(keys, i.bankDetails), active: 1, created_at: now, updated_at: now };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('suppliers').values(row).execute();
    await recordAudit(trx, ctx, { businessId, action: 'supplier.created', entityType: 'supplier', entityId: row.id });
  });
  return supplierOf(keys, row);
}

export async function findSupplier(q: Q, businessId: string, id: string): Promise<SuppliersTable> {
  const row = await q.selectFrom('suppliers').selectAll().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('supplier');
  return row;
}

export async function updateSupplier(ctx: Ctx, keys: KeyRing, businessId: string, id: string, input: SupplierInput): Promise<Supplier> {
  const existing = await findSupplier(ctx.store.db, businessId, id);
  const i = checked(input);
  const changes = { name_sealed: seal(keys, i.name), phone_sealed: sealOrNull(keys, i.phone), email_sealed: sealOrNull(keys, i.email), tax_id_sealed: sealOrNull(keys, i.taxId),
    bank_details_sealed: sealOrNull(keys, i.bankDetails), updated_at: ctx.clock.now().toISOString() };
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('suppliers').set(changes).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'supplier.updated', entityType: 'supplier', entityId: id });
  });
  return supplierOf(keys, { ...existing, ...changes });
}

export async function deactivateSupplier(ctx: Ctx, keys: KeyRing, businessId: string, id: string): Promise<Supplier> {
  const existing = await findSupplier(ctx.store.db, businessId, id);
  const updatedAt = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('suppliers').set({ active: 0, updated_at: updatedAt }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'supplier.deactivated', entityType: 'supplier', entityId: id });
  });
  return supplierOf(keys, { ...existing, active: 0, updated_at: updatedAt });
}

export async function listSuppliers(q: Q, keys: KeyRing, businessId: string): Promise<Supplier[]> {
  const rows = await q.selectFrom('suppliers').selectAll().where('business_id', '=', businessId).orderBy('id', 'desc').limit(500).execute();
  return rows.map((r) => supplierOf(keys, r));
}
