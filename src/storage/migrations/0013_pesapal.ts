/** The Pesapal rail: per-business credentials (secret sealed) and registered IPN, and orders keyed by our merchant reference. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('pesapal_settings')
    .addColumn('business_id', 'text', (c) => c.primaryKey().notNull().references('businesses.id'))
    .addColumn('consumer_key', 'text', (c) => c.notNull())
    .addColumn('consumer_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('ipn_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('pesapal_orders')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('tracking_id', 'text', (c) => c.notNull().unique())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('confirmation_code', 'text')
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pesapal_orders_pending_idx').on('pesapal_orders').columns(['status', 'created_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('pesapal_orders').execute();
  await db.schema.dropTable('pesapal_settings').execute();
}
