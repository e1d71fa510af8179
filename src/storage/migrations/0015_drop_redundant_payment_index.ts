/**
 * payments (business_id, customer_id) is a prefix of payments_unmatched_idx (business_id,
 * customer_id, received_at), which answers every query the shorter one did; keeping both cost an
 * extra index write on every payment received.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('payments_customer_idx').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.createIndex('payments_customer_idx').on('payments').columns(['business_id', 'customer_id']).execute();
}
