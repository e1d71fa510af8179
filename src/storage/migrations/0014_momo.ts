/** The MTN MoMo rail: per-business credentials (secrets sealed) and the MoMo invoices and requests-to-pay we created. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('momo_settings')
    .addColumn('business_id', 'text', (c) => c.primaryKey().notNull().references('businesses.id'))
    .addColumn('subscription_key_sealed', 'text', (c) => c.notNull())
    .addColumn('api_user', 'text', (c) => c.notNull())
    .addColumn('api_key_sealed', 'text', (c) => c.notNull())
    .addColumn('target_environment', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('ussd_prefix', 'text', (c) => c.notNull())
    .addColumn('payee_msisdn', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('momo_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('live_slot', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('payer_msisdn', 'text')
    .addColumn('payment_reference', 'text')
    .addColumn('momo_status', 'text')
    .addColumn('reason', 'text')
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('next_poll_at', 'text', (c) => c.notNull())
    .addColumn('polls', 'integer', (c) => c.notNull())
    .addColumn('cancel_requested_at', 'text')
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // One live MoMo invoice per invoice: NULLs (finished requests) never collide.
  await db.schema.createIndex('momo_requests_live_idx').on('momo_requests').columns(['invoice_id', 'kind', 'live_slot']).unique().execute();
  await db.schema.createIndex('momo_requests_poll_idx').on('momo_requests').columns(['status', 'next_poll_at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('momo_requests').execute();
  await db.schema.dropTable('momo_settings').execute();
}
