/** Cash on delivery: a transaction per delivery with a verification code the customer holds (only its hash is kept). */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('cod_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('invoice_id', 'text', (c) => c.notNull().references('invoices.id'))
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failed_attempts', 'integer', (c) => c.notNull())
    .addColumn('collector', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('notes', 'text')
    .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Accounts created after this migration get it from the default chart; existing businesses get it here.
  const businesses = await db.selectFrom('businesses').select('id').execute();
  for (const b of businesses as Array<{ id: string }>) {
    await db.insertInto('accounts').values({ id: `acct_agent_cash_${b.id}`, business_id: b.id, code: '1005', name: 'Cash held by delivery agents', type: 'asset', system_key: 'agent_cash', active: 1, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.doNothing()).execute();
  }
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('cod_transactions').execute();
}
