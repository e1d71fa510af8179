/** Lists page newest first within a business, optionally by status: indexes that match those orders. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('invoices_business_id_idx').on('invoices').columns(['business_id', 'id']).execute();
  await db.schema.createIndex('invoices_business_status_id_idx').on('invoices').columns(['business_id', 'status', 'id']).execute();
  await db.schema.createIndex('payments_business_id_idx').on('payments').columns(['business_id', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const index of ['payments_business_id_idx', 'invoices_business_status_id_idx', 'invoices_business_id_idx']) await db.schema.dropIndex(index).execute();
}
