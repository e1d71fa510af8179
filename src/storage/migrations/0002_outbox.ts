/** The outbox: every outgoing message (SMS, email, biller callback), written with the event that causes it. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createTable('outbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // One message per business event: a second enqueue of the same key is a no-op (reminders, receipts).
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('attempts_max', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('provider_message_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addUniqueConstraint('outbox_dedupe_uq', ['business_id', 'dedupe_key'])
    .execute();
  await db.schema.createIndex('outbox_due_idx').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();

  await db.schema.createTable('outbox_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('business_id', 'text', (c) => c.notNull().references('businesses.id'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('outbox_messages.id'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_attempts_message_idx').on('outbox_attempts').column('message_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('outbox_attempts').execute();
  await db.schema.dropTable('outbox_messages').execute();
}
