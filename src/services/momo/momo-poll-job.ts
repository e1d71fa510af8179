/**
 * The seed's pitfall: callbacks get lost, so every open MoMo request is also polled on a schedule
 * (often at first, rarely later, never after expiry). Claiming moves `next_poll_at` forward by a
 * lease, so several workers (several processes on PostgreSQL) never poll the same request at once;
 * a worker that dies leaves the request to be picked up when the lease runs out.
 */
import type { KeyRing } from '../../security/secret-box.js';
import type { MomoRequestsTable } from '../../storage/schema-momo.js';
import type { Ctx } from '../context.js';
import { createAtMtn } from './momo-invoices.js';
import { settleMomoRequest } from './settle-momo.js';

export const POLL_LEASE_MS = 60_000;

async function claimDuePolls(ctx: Ctx, limit: number): Promise<MomoRequestsTable[]> {
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  return ctx.store.db.transaction().execute(async (trx) => {
    let due = trx.selectFrom('momo_requests').selectAll()
      .where('status', 'in', ['creating', 'pending']).where('next_poll_at', '<=', nowIso).orderBy('next_poll_at').limit(limit);
    if (ctx.store.engine === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await due.execute();
    if (rows.length > 0) {
      await trx.updateTable('momo_requests').set({ next_poll_at: new Date(now.getTime() + POLL_LEASE_MS).toISOString() }).where('id', 'in', rows.map((r) => r.id)).execute();
    }
    return rows;
  });
}

/** One pass: up to `limit` due requests, `concurrency` at a time. Returns how many were looked at. */
export async function pollDueMomoRequests(ctx: Ctx, keys: KeyRing, publicUrl: string, opts: { limit?: number; concurrency?: number; onError?: (id: string, error: unknown) => void } = {}): Promise<number> {
  const claimed = await claimDuePolls(ctx, opts.limit ?? 200);
  let next = 0;
  const work = async () => {
    while (next < claimed.length) {
      const row = claimed[next++]!;
      try {
        if (row.status === 'creating') await createAtMtn(ctx, keys, row, publicUrl);
        else await settleMomoRequest(ctx, keys, row.id);
      } catch (error) {
        // A request MTN never accepted is given up once it would have expired anyway.
        if (row.status === 'creating' && new Date(row.expires_at) <= ctx.clock.now()) {
          await ctx.store.db.updateTable('momo_requests').set({ status: 'failed', live_slot: null, reason: String(error instanceof Error ? error.message : error).slice(0, 500), updated_at: ctx.clock.now().toISOString() })
            .where('id', '=', row.id).where('status', '=', 'creating').execute();
        }
        opts.onError?.(row.id, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 16, claimed.length) }, work));
  return claimed.length;
}
