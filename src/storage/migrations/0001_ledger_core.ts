/** Ledger core: tenants, customers, invoices, payments, allocations, the journal, audit, auth. */
import { sql, type Kysely } from 'kysely';

// A journal line is a debit or a credit, never both, never negative.
const oneSidedCheck = sql`(debit_minor >= 0 AND credit_minor >= 0 AND (debit_minor = 0 OR credit_minor = 0) AND debit_minor + credit_minor > 0)`;

// Kysely's schema builder needs an untyped handle: migrations describe the schema, they cannot be checked against it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('businesses')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('shortcodes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('shortcode', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('system_key', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('accounts_business_code_uq', ['business_id', 'code'])
    .addUniqueConstraint('accounts_business_system_key_uq', ['business_id', 'system_key'])
    .execute();

  await db.schema.createTable('customers')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('account_ref', 'text', (c) => c.notNull())
    .addColumn('account_ref_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('language', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('customers_business_ref_uq', ['business_id', 'account_ref_key'])
    .execute();

  await db.schema.createTable('invoices')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('public_token', 'text', (c) => c.notNull().unique())
    .addColumn('external_ref', 'text')
    .addColumn('shortcode', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('billed_period', 'text')
    .addColumn('notes', 'text')
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('issue_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('invoices_business_number_uq', ['business_id', 'number'])
    .addUniqueConstraint('invoices_business_external_uq', ['business_id', 'shortcode', 'external_ref'])
    .execute();
  await db.schema.createIndex('invoices_customer_idx').on('invoices').columns(['business_id', 'customer_id', 'status']).execute();
  await db.schema.createIndex('invoices_status_due_idx').on('invoices').columns(['business_id', 'status', 'due_date']).execute();

  await db.schema.createTable('invoice_items')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('product_id', 'text')
    .addColumn('sku', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('tax_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('variant_info', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema.createIndex('invoice_items_invoice_idx').on('invoice_items').columns(['invoice_id', 'position']).execute();

  await db.schema.createTable('payments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('rail', 'text', (c) => c.notNull())
    .addColumn('provider_ref', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('target_invoice_id', 'text', (c) => c.references('invoices.id'))
    .addColumn('payer_phone', 'text')
    .addColumn('payer_name', 'text')
    .addColumn('account_ref_raw', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('raw_payload', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // The provider's transaction id is the idempotency key of every inbound payment.
    .addUniqueConstraint('payments_provider_ref_uq', ['business_id', 'rail', 'provider_ref'])
    .execute();
  await db.schema.createIndex('payments_customer_idx').on('payments').columns(['business_id', 'customer_id']).execute();

  await db.schema.createTable('journal_entries')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('memo', 'text', (c) => c.notNull())
    .addColumn('invoice_id', 'text')
    .addColumn('payment_id', 'text')
    .addColumn('reverses_entry_id', 'text', (c) => c.references('journal_entries.id'))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('journal_entries_invoice_idx').on('journal_entries').columns(['business_id', 'invoice_id']).execute();

  await db.schema.createTable('journal_lines')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('customer_id', 'text', (c) => c.references('customers.id'))
    .addColumn('debit_minor', 'bigint', (c) => c.notNull())
    .addColumn('credit_minor', 'bigint', (c) => c.notNull())
    .addCheckConstraint('journal_lines_one_sided', oneSidedCheck)
    .execute();
  await db.schema.createIndex('journal_lines_entry_idx').on('journal_lines').column('entry_id').execute();
  await db.schema.createIndex('journal_lines_customer_idx').on('journal_lines').columns(['customer_id', 'account_id']).execute();
  await db.schema.createIndex('journal_lines_account_idx').on('journal_lines').columns(['business_id', 'account_id']).execute();

  await db.schema.createTable('allocations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('reverses_allocation_id', 'text', (c) => c.unique().references('allocations.id'))
    .addColumn('journal_entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('allocations_invoice_idx').on('allocations').column('invoice_id').execute();
  await db.schema.createIndex('allocations_payment_idx').on('allocations').column('payment_id').execute();

  await db.schema.createTable('refunds')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('journal_entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refunds_payment_idx').on('refunds').column('payment_id').execute();

  await db.schema.createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text')
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text')
    .addColumn('data_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['business_id', 'entity_type', 'entity_id']).execute();

  await db.schema.createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.references('businesses.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema.createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('consumer_key', 'text', (c) => c.notNull().unique())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema.createTable('sequences')
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('next_value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sequences_pk', ['business_id', 'name'])
    .execute();

  await db.schema.createTable('idempotency_keys')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer', (c) => c.notNull())
    .addColumn('response_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('idempotency_keys_uq', ['business_id', 'scope', 'key'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['idempotency_keys', 'sequences', 'apps', 'api_tokens', 'audit_log', 'refunds', 'allocations',
    'journal_lines', 'journal_entries', 'payments', 'invoice_items', 'invoices', 'customers', 'accounts', 'shortcodes', 'businesses']) {
    await db.schema.dropTable(table).execute();
  }
}
