/** Per-business notification settings, overriding the platform's defaults from the environment. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('notification_settings')
    .addColumn('business_id', 'text', (c) => c.primaryKey().notNull().references('businesses.id'))
    .addColumn('sms_provider', 'text')
    .addColumn('at_username', 'text')
    .addColumn('at_api_key_sealed', 'text')
    .addColumn('at_sender_id', 'text')
    .addColumn('at_base_url', 'text')
    .addColumn('smtp_url_sealed', 'text')
    .addColumn('mail_from', 'text')
    .addColumn('reminder_hour', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('notification_settings').execute();
}
