/** Every callback Daraja (or anyone) sends is kept raw with what we made of it, for inspection. */
import { newId } from '../../domain/ids.js';
import { insertPrepared } from '../../storage/prepared-query.js';
import type { Q } from '../tx.js';

export async function recordCallback(q: Q, now: Date, entry: { businessId: string | null; kind: string; outcome: string; remoteIp: string | null; body: unknown }): Promise<void> {
  await insertPrepared(q, 'mpesa_callbacks', [{
    id: newId('cb'), business_id: entry.businessId, kind: entry.kind, outcome: entry.outcome.slice(0, 500), remote_ip: entry.remoteIp,
    body: (typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body ?? null)).slice(0, 64 * 1024), created_at: now.toISOString(),
  }]);
}
