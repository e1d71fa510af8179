/**
 * Recording a delivery's outcome, guarded by the lease: if another worker re-claimed the message
 * (ours expired), our late answer changes nothing. Every attempt is logged either way.
 */
import { newId } from '../../domain/ids.js';
import type { Store } from '../../storage/database.js';
import { retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { Claimed } from './claim.js';

export type DeliveryOutcome =
  | { outcome: 'delivered'; providerMessageId?: string | null; detail?: string }
  | { outcome: 'retryable'; detail: string }
  | { outcome: 'failed'; detail: string }
  /** Nothing to send any more (a reminder for an invoice paid meanwhile). */
  | { outcome: 'cancelled'; detail: string }
  /** Not yet: something the message shows is still coming (a MoMo payment reference). Not counted as an attempt. */
  | { outcome: 'deferred'; until: Date; detail: string };

export interface Completion {
  status: 'delivered' | 'pending' | 'failed' | 'cancelled';
  leaseHeld: boolean;
}

export async function completeDelivery(store: Store, message: Claimed, worker: string, startedAt: Date, now: Date, result: DeliveryOutcome, policy: BackoffPolicy): Promise<Completion> {
  const nowIso = now.toISOString();
  const exhausted = message.attempts >= message.attempts_max;
  let status: Completion['status'];
  if (result.outcome === 'delivered') status = 'delivered';
  else if (result.outcome === 'cancelled') status = 'cancelled';
  else if (result.outcome === 'deferred') status = 'pending';
  else if (result.outcome === 'failed' || exhausted) status = 'failed';
  else status = 'pending';
  const detail = result.outcome === 'delivered' ? result.detail ?? null : result.detail.slice(0, 1000);
  return store.db.transaction().execute(async (trx) => {
    const updated = await trx.updateTable('outbox_messages').set({
      status,
      lease_owner: null,
      lease_expires_at: null,
      updated_at: nowIso,
      last_error: result.outcome === 'delivered' || result.outcome === 'cancelled' || result.outcome === 'deferred' ? null : detail,
      provider_message_id: result.outcome === 'delivered' ? result.providerMessageId ?? null : null,
      finished_at: status === 'pending' ? null : nowIso,
      next_attempt_at: result.outcome === 'deferred' ? result.until.toISOString()
        : status === 'pending' ? new Date(now.getTime() + retryDelayMs(message.attempts, policy)).toISOString() : message.next_attempt_at,
      ...(result.outcome === 'deferred' ? { attempts: Math.max(0, message.attempts - 1) } : {}),
    }).where('id', '=', message.id).where('lease_owner', '=', message.lease_owner).where('status', '=', 'in_flight').executeTakeFirst();
    const leaseHeld = Number(updated.numUpdatedRows) === 1;
    await trx.insertInto('outbox_attempts').values({
      id: newId('att'), business_id: message.business_id, message_id: message.id, attempt: message.attempts, worker,
      outcome: leaseHeld ? (result.outcome === 'retryable' && status === 'failed' ? 'failed_exhausted' : result.outcome) : `${result.outcome}_after_lease_lost`,
      detail, started_at: startedAt.toISOString(), finished_at: nowIso,
    }).execute();
    return { status, leaseHeld };
  });
}
