/**
 * One look at a MoMo invoice or request-to-pay: MTN's status is the truth (a callback only says
 * "look now"). SUCCESSFUL goes through the reconciliation engine keyed by our reference id, so a
 * callback and a poll racing each other credit it once. FAILED ends it as cancelled, expired or
 * failed. Still open: remember the payment reference and when to look again.
 */
import { EXPIRY_GRACE_MS, nextPollAt } from '../../domain/payments/poll-schedule.js';
import { parseCurrency } from '../../domain/money.js';
import { mismatchOf } from '../../domain/payments/paid-as-asked.js';
import type { KeyRing } from '../../security/secret-box.js';
import type { MomoRequestsTable } from '../../storage/schema-momo.js';
import type { Ctx } from '../context.js';
import { receivePayment } from '../payments/receive-payment.js';
import { momoClientOf, momoSettingsOf } from './momo-settings.js';

const OPEN = ['creating', 'pending'];

export async function settleMomoRequest(ctx: Ctx, keys: KeyRing, id: string, opts: { created?: boolean; notWithinMs?: number } = {}): Promise<MomoRequestsTable | undefined> {
  const db = ctx.store.db;
  const row = await db.selectFrom('momo_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !OPEN.includes(row.status)) return row;
  // A payer's page asking every few seconds is answered from our records between looks.
  if (opts.notWithinMs && ctx.clock.now().getTime() - new Date(row.updated_at).getTime() < opts.notWithinMs) return row;
  // A request we never managed to create is the creator's job (outbox or poll job), not a status read's.
  if (row.status === 'creating' && !opts.created) return row;
  const client = momoClientOf(keys, ctx.clock, await momoSettingsOf(db, row.business_id));
  const answer = row.kind === 'invoice' ? await client.invoiceStatus(row.id) : await client.requestToPayStatus(row.id);
  const now = ctx.clock.now();
  const nowIso = now.toISOString();
  const reference = 'paymentReference' in answer ? answer.paymentReference : null;
  const base = { momo_status: answer.status, polls: row.polls + 1, updated_at: nowIso, payment_reference: reference ?? row.payment_reference };
  const guarded = () => db.updateTable('momo_requests').where('id', '=', row.id).where('status', 'in', OPEN);

  if (answer.status === 'SUCCESSFUL') {
    const problem = mismatchOf({ reference: row.invoice_id, currency: parseCurrency(row.currency), amountMinor: Number(row.amount_minor) },
      { reference: answer.externalId, currency: answer.currency, amountText: answer.amountText });
    if (problem) {
      // Paid, but not what we asked for: nothing is credited until a person looks.
      await guarded().set({ ...base, status: 'mismatch', live_slot: null, reason: problem }).execute();
    } else {
      // Keyed by our reference id: a callback and a poll racing each other meet at the unique key, and the loser is a duplicate.
      const providerRef = row.id;
      await receivePayment({ ...ctx, actor: { type: 'provider', id: 'mtn-momo', requestId: ctx.actor.requestId } }, row.business_id, {
        rail: 'momo', providerRef, amountMinor: Number(row.amount_minor), currency: row.currency, invoiceId: row.invoice_id,
        payerPhone: row.payer_msisdn ? `+${row.payer_msisdn}` : null, accountRef: reference, rawPayload: answer,
        alsoInTransaction: async (trx, payment) => {
          await trx.updateTable('momo_requests').set({ ...base, status: 'paid', live_slot: null, payment_id: payment.id }).where('id', '=', row.id).execute();
        },
      });
    }
  } else if (answer.status === 'FAILED') {
    const why = 'errorReason' in answer ? answer.errorReason : answer.reason;
    const status = row.cancel_requested_at || /^CANCEL/i.test(why ?? '') ? 'cancelled' : /EXPIRED/i.test(why ?? '') || now >= new Date(row.expires_at) ? 'expired' : 'failed';
    await guarded().set({ ...base, status, live_slot: null, reason: why }).execute();
  } else {
    const next = nextPollAt(now, new Date(row.created_at), new Date(row.expires_at));
    if (next === null || now.getTime() > new Date(row.expires_at).getTime() + EXPIRY_GRACE_MS) {
      await guarded().set({ ...base, status: 'expired', live_slot: null, reason: `still ${answer.status} after expiry` }).execute();
    } else {
      await guarded().set({ ...base, next_poll_at: (row.cancel_requested_at ? new Date(Math.min(next.getTime(), now.getTime() + 10_000)) : next).toISOString() }).execute();
    }
  }
  return db.selectFrom('momo_requests').selectAll().where('id', '=', row.id).executeTakeFirst();
}
