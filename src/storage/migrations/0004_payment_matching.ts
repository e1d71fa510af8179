/** Payments remember the shortcode they came to and the reconciliation rule that matched them. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('payments').addColumn('shortcode', 'text').execute();
  await db.schema.alterTable('payments').addColumn('match_rule', 'text').execute();
  // Match keys: what a payer types or a phone shows, normalised (see domain/customers.ts).
  await db.schema.alterTable('customers').addColumn('phone_key', 'text').execute();
  await db.schema.alterTable('invoices').addColumn('external_ref_key', 'text').execute();
  await db.schema.createIndex('payments_unmatched_idx').on('payments').columns(['business_id', 'customer_id', 'received_at']).execute();
  await db.schema.createIndex('customers_phone_idx').on('customers').columns(['business_id', 'phone_key']).execute();
  await db.schema.createIndex('invoices_external_idx').on('invoices').columns(['business_id', 'external_ref_key']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('invoices_external_idx').execute();
  await db.schema.dropIndex('customers_phone_idx').execute();
  await db.schema.dropIndex('payments_unmatched_idx').execute();
  await db.schema.alterTable('invoices').dropColumn('external_ref_key').execute();
  await db.schema.alterTable('customers').dropColumn('phone_key').execute();
  await db.schema.alterTable('payments').dropColumn('match_rule').execute();
  await db.schema.alterTable('payments').dropColumn('shortcode').execute();
}
