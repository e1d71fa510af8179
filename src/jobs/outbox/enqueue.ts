/**
 * Enqueue runs inside the business write's transaction: the message exists if and only if the
 * event that causes it was committed. The dedupe key makes a repeated enqueue a no-op.
 */
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Q } from '../../services/tx.js';
import type { OutboxMessagesTable } from '../../storage/schema.js';

export type Channel = 'sms' | 'email' | 'webhook' | 'momo';

export interface OutgoingMessage {
  businessId: string;
  channel: Channel;
  kind: string;
  dedupeKey: string;
  recipient: string;
  payload: Record<string, unknown>;
  attemptsMax?: number;
  notBefore?: Date;
}

export const ATTEMPTS_MAX_DEFAULT = 5;
export const ATTEMPTS_MAX_LIMIT = 20;

function toRow(now: Date, message: OutgoingMessage): OutboxMessagesTable {
  const attemptsMax = message.attemptsMax ?? ATTEMPTS_MAX_DEFAULT;
  if (!Number.isInteger(attemptsMax) || attemptsMax < 1 || attemptsMax > ATTEMPTS_MAX_LIMIT) throw invalid('attempts_max', `must be 1 to ${ATTEMPTS_MAX_LIMIT}`);
  if (!message.recipient) throw invalid('recipient', 'must not be empty');
  return {
    id: newId('msg'), business_id: message.businessId, channel: message.channel, kind: message.kind, dedupe_key: message.dedupeKey,
    recipient: message.recipient, payload_json: JSON.stringify(message.payload), status: 'pending', attempts: 0, attempts_max: attemptsMax,
    next_attempt_at: (message.notBefore ?? now).toISOString(), lease_owner: null, lease_expires_at: null, last_error: null,
    provider_message_id: null, created_at: now.toISOString(), updated_at: now.toISOString(), finished_at: null,
  };
}

/** Returns the new message's id, or null when a message with this dedupe key already exists. */
export async function enqueueMessage(q: Q, now: Date, message: OutgoingMessage): Promise<string | null> {
  const row = toRow(now, message);
  const result = await q.insertInto('outbox_messages').values(row)
    .onConflict((oc) => oc.columns(['business_id', 'dedupe_key']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 ? row.id : null;
}

const ROWS_PER_INSERT = 1000;

/** Many messages in a few statements (a 1,000-invoice bulk queues up to 4,000); duplicates are skipped. */
export async function enqueueMessages(q: Q, now: Date, messages: OutgoingMessage[]): Promise<void> {
  const rows = messages.map((m) => toRow(now, m));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await q.insertInto('outbox_messages').values(rows.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => oc.columns(['business_id', 'dedupe_key']).doNothing()).execute();
  }
}

export async function cancelMessages(q: Q, now: Date, businessId: string, dedupeKeyPrefix: string): Promise<number> {
  const result = await q.updateTable('outbox_messages')
    .set({ status: 'cancelled', finished_at: now.toISOString(), updated_at: now.toISOString() })
    .where('business_id', '=', businessId).where('dedupe_key', 'like', `${dedupeKeyPrefix}%`).where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Like enqueueMessages, but a message cancelled earlier under the same dedupe key is queued again
 * (a due date moved away and back brings its reminders back); one delivered or in flight is left.
 */
export async function requeueMessages(q: Q, now: Date, messages: OutgoingMessage[]): Promise<void> {
  for (const message of messages) {
    const row = toRow(now, message);
    await q.updateTable('outbox_messages')
      .set({ status: 'pending', attempts: 0, next_attempt_at: row.next_attempt_at, payload_json: row.payload_json, recipient: row.recipient, last_error: null, finished_at: null, updated_at: row.updated_at })
      .where('business_id', '=', message.businessId).where('dedupe_key', '=', message.dedupeKey).where('status', '=', 'cancelled').execute();
  }
  await enqueueMessages(q, now, messages);
}
