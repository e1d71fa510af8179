/** An admin replays a message that failed (a biller's endpoint was down for a day): a fresh set of tries. */
import { invalidState, notFound } from '../../domain/errors.js';
import { recordAudit } from '../../services/audit.js';
import type { Ctx } from '../../services/context.js';
import { ATTEMPTS_MAX_DEFAULT } from './enqueue.js';

export async function retryMessage(ctx: Ctx, businessId: string, messageId: string): Promise<void> {
  await ctx.store.db.transaction().execute(async (trx) => {
    const message = await trx.selectFrom('outbox_messages').select(['id', 'status', 'attempts'])
      .where('business_id', '=', businessId).where('id', '=', messageId).executeTakeFirst();
    if (!message) throw notFound('message');
    if (message.status !== 'failed') throw invalidState(`only a failed message can be retried (this one is ${message.status})`);
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('outbox_messages')
      .set({ status: 'pending', attempts_max: message.attempts + ATTEMPTS_MAX_DEFAULT, next_attempt_at: now, finished_at: null, updated_at: now })
      .where('id', '=', message.id).where('status', '=', 'failed').execute();
    await recordAudit(trx, ctx, { businessId, action: 'message.retried', entityType: 'message', entityId: message.id });
  });
}
