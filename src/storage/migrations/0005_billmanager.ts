/** The Bill Manager face (seeds 000 and 001): Daraja tokens, opt-ins, its invoices' requests, acknowledgements. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('daraja_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('billmanager_optins')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('shortcode', 'text', (c) => c.notNull().unique())
    .addColumn('app_key', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('official_contact', 'text', (c) => c.notNull())
    .addColumn('send_reminders', 'integer', (c) => c.notNull())
    .addColumn('logo_jpeg_base64', 'text')
    .addColumn('callback_url', 'text', (c) => c.notNull())
    .addColumn('webhook_secret', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('billmanager_invoices')
    .addColumn('invoice_id', 'text', (c) => c.primaryKey().notNull().references('invoices.id'))
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('shortcode', 'text', (c) => c.notNull())
    .addColumn('external_ref', 'text', (c) => c.notNull())
    // A repeat of the same externalReference is a success only with the same content.
    .addColumn('request_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('billmanager_invoices_ref_uq', ['business_id', 'shortcode', 'external_ref'])
    .execute();

  await db.schema.createTable('billmanager_acks')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('payment_id', 'text', (c) => c.notNull().unique().references('payments.id'))
    .addColumn('external_ref', 'text')
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['billmanager_acks', 'billmanager_invoices', 'billmanager_optins', 'daraja_tokens']) await db.schema.dropTable(table).execute();
}
