/** Africa's Talking delivery reports: several may arrive per message; each is kept. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('sms_delivery_reports')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.references('businesses.id'))
    .addColumn('message_id', 'text', (c) => c.references('outbox_messages.id'))
    .addColumn('provider_message_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('final', 'integer', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('network_code', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('retry_count', 'integer')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sms_delivery_reports_message_idx').on('sms_delivery_reports').column('provider_message_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('sms_delivery_reports').execute();
}
