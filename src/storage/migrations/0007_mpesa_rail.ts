/** The M-PESA rail: per-business Daraja settings (secrets sealed), STK push requests, and every raw callback. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('mpesa_settings')
    .addColumn('business_id', 'text', (c) => c.primaryKey().notNull().references('businesses.id'))
    .addColumn('shortcode', 'text', (c) => c.notNull())
    .addColumn('shortcode_type', 'text', (c) => c.notNull())
    .addColumn('consumer_key', 'text', (c) => c.notNull())
    .addColumn('consumer_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('passkey_sealed', 'text')
    .addColumn('environment', 'text', (c) => c.notNull())
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('response_type', 'text', (c) => c.notNull())
    .addColumn('reject_unknown_accounts', 'integer', (c) => c.notNull())
    .addColumn('allow_prepayment', 'integer', (c) => c.notNull())
    .addColumn('allowed_ips_json', 'text', (c) => c.notNull())
    // Daraja does not sign callbacks: the registered URLs carry a secret; only its hash is kept.
    .addColumn('callback_secret_hash', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('stk_requests')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('checkout_request_id', 'text', (c) => c.notNull().unique())
    .addColumn('merchant_request_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('result_code', 'integer')
    .addColumn('result_desc', 'text')
    .addColumn('receipt', 'text')
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    // The CallBackURL of each push carries a one-off token: a payer who knows the checkout id cannot forge its callback.
    .addColumn('callback_token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stk_requests_pending_idx').on('stk_requests').columns(['status', 'created_at']).execute();

  await db.schema.createTable('mpesa_callbacks')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.references('businesses.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('remote_ip', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['mpesa_callbacks', 'stk_requests', 'mpesa_settings']) await db.schema.dropTable(table).execute();
}
