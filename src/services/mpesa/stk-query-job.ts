/** Pushes still pending after a minute are asked about (Daraja's STK query): a lost callback never loses a payment. */
import type { KeyRing } from '../../security/secret-box.js';
import type { Ctx } from '../context.js';
import { darajaClientFor } from './mpesa-settings.js';
import { applyStkResult } from './stk-result.js';

export const STK_QUERY_AFTER_MS = 60_000;
export const STK_QUERY_BATCH_MAX = 50;

export async function queryPendingStkPushes(ctx: Ctx, keys: KeyRing): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - STK_QUERY_AFTER_MS).toISOString();
  const pending = await ctx.store.db.selectFrom('stk_requests').select(['business_id', 'checkout_request_id'])
    .where('status', '=', 'pending').where('created_at', '<=', before).orderBy('created_at').limit(STK_QUERY_BATCH_MAX).execute();
  let settled = 0;
  for (const request of pending) {
    const { client } = await darajaClientFor(ctx.store.db, keys, ctx.clock, request.business_id);
    const answer = await client.stkQuery(request.checkout_request_id);
    if (answer.state === 'pending') continue;
    const applied = await applyStkResult(ctx, request.checkout_request_id, { resultCode: answer.resultCode, resultDesc: answer.resultDesc });
    if (applied?.changed) settled += 1;
  }
  return settled;
}
