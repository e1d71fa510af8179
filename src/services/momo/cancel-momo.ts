/**
 * Cancelling our invoice (or its being paid another way) cancels its live MoMo invoice at MTN. The
 * wish is written in the invoice's transaction and carried out by the outbox, outside it. The row
 * stays open and polled until MTN confirms, so a payment made in between is still credited.
 */
import { enqueueMessages } from '../../jobs/outbox/enqueue.js';
import type { Q } from '../tx.js';

export async function requestMomoCancels(q: Q, now: Date, businessId: string, invoiceIds: readonly string[], exceptRequestId?: string): Promise<number> {
  if (invoiceIds.length === 0) return 0;
  let live = q.selectFrom('momo_requests').select('id')
    .where('business_id', '=', businessId).where('invoice_id', 'in', [...invoiceIds]).where('kind', '=', 'invoice').where('live_slot', '=', 'live').where('cancel_requested_at', 'is', null);
  if (exceptRequestId) live = live.where('id', '!=', exceptRequestId);
  const ids = (await live.execute()).map((r) => r.id);
  if (ids.length === 0) return 0;
  await q.updateTable('momo_requests').set({ cancel_requested_at: now.toISOString(), updated_at: now.toISOString() }).where('id', 'in', ids).execute();
  await enqueueMessages(q, now, ids.map((id) => ({
    businessId, channel: 'momo' as const, kind: 'momo_cancel', dedupeKey: `momo-cancel:${id}`, recipient: id, payload: { requestId: id },
  })));
  return ids.length;
}
