/**
 * Claiming work so that several workers (several processes on PostgreSQL) never deliver the same
 * message at once: one UPDATE … RETURNING that takes due messages and stamps a lease. On
 * PostgreSQL the inner SELECT skips rows another worker has locked; on SQLite the transaction's
 * BEGIN IMMEDIATE serialises claimers. A lease that expires (a worker died mid-delivery) makes the
 * message claimable again.
 */
import { newSecret } from '../../domain/ids.js';
import type { Store } from '../../storage/database.js';
import type { OutboxMessageRow } from '../../storage/schema.js';

export const CLAIM_BATCH_MAX = 100;

export interface Claimed extends OutboxMessageRow {
  /** Identifies this claim: completion counts only while it still holds the lease. */
  lease_owner: string;
}

export async function claimDue(store: Store, workerId: string, now: Date, leaseMs: number, limit: number, channels?: readonly string[]): Promise<Claimed[]> {
  const batch = Math.min(Math.max(1, limit), CLAIM_BATCH_MAX);
  const nowIso = now.toISOString();
  const leaseOwner = `${workerId}:${newSecret(6)}`;
  const leaseExpiresAt = new Date(now.getTime() + leaseMs).toISOString();
  return store.db.transaction().execute(async (trx) => {
    let due = trx.selectFrom('outbox_messages').select('id')
      .where((eb) => eb.or([
        eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', nowIso)]),
        eb.and([eb('status', '=', 'in_flight'), eb('lease_expires_at', '<', nowIso)]),
      ]))
      .orderBy('next_attempt_at').limit(batch);
    if (channels) due = due.where('channel', 'in', [...channels]);
    if (store.engine === 'postgres') due = due.forUpdate().skipLocked();
    const ids = (await due.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    const rows = await trx.updateTable('outbox_messages')
      .set((eb) => ({ status: 'in_flight', lease_owner: leaseOwner, lease_expires_at: leaseExpiresAt, attempts: eb('attempts', '+', 1), updated_at: nowIso }))
      .where('id', 'in', ids)
      .returningAll().execute();
    return rows as Claimed[];
  });
}
