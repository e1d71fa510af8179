/** Payables (seed 004): suppliers (personal data sealed), bills with lines, staged payments with withholding tax. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('suppliers')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    // Personal data is sealed (AES-256-GCM with a key id); a database dump shows none of it.
    .addColumn('name_sealed', 'text', (c) => c.notNull())
    .addColumn('phone_sealed', 'text')
    .addColumn('email_sealed', 'text')
    .addColumn('tax_id_sealed', 'text')
    .addColumn('bank_details_sealed', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('bills')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id'))
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('bill_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('vat_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('vat_minor', 'bigint', (c) => c.notNull())
    .addColumn('total_minor', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('journal_entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('voided_at', 'text')
    .addUniqueConstraint('bills_business_number_uq', ['business_id', 'number'])
    .execute();
  await db.schema.createIndex('bills_list_idx').on('bills').columns(['business_id', 'id']).execute();

  await db.schema.createTable('bill_lines')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_minor', 'bigint', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('subtotal_minor', 'bigint', (c) => c.notNull())
    .addColumn('vat_minor', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'text')
    .execute();
  await db.schema.createIndex('bill_lines_bill_idx').on('bill_lines').columns(['bill_id', 'position']).execute();

  await db.schema.createTable('bill_payments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('bill_id', 'text', (c) => c.notNull().references('bills.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('wht_rate_bps', 'integer', (c) => c.notNull())
    .addColumn('wht_minor', 'bigint', (c) => c.notNull())
    .addColumn('payment_date', 'text', (c) => c.notNull())
    .addColumn('payment_method', 'text', (c) => c.notNull())
    .addColumn('reference', 'text')
    .addColumn('notes', 'text')
    .addColumn('journal_entry_id', 'text', (c) => c.notNull().references('journal_entries.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bill_payments_bill_idx').on('bill_payments').column('bill_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['bill_payments', 'bill_lines', 'bills', 'suppliers']) await db.schema.dropTable(table).execute();
}
