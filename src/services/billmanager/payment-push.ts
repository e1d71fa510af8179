/**
 * Pushes every payment on an opted-in shortcode to the biller's callback URL, as Safaricom does,
 * whether it matched an invoice, became credit or waits in suspense: the seed's body, up to five
 * tries with backoff, each signed (Standard Webhooks) with the business's secret.
 */
import { localDate } from '../../domain/clock.js';
import { formatMajor, parseCurrency } from '../../domain/money.js';
import { enqueueMessage } from '../../jobs/outbox/enqueue.js';
import type { Claimed } from '../../jobs/outbox/claim.js';
import type { DeliveryOutcome } from '../../jobs/outbox/complete.js';
import { postJson } from '../../notify/webhook/post-json.js';
import { webhookHeaders } from '../../notify/webhook/signature.js';
import type { Store } from '../../storage/database.js';
import { open, type KeyRing } from '../../security/secret-box.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import { onPaymentRecorded } from '../payments/payment-events.js';

/** Seed 000: "We will try to send payment details 5 times to your callback URL before cancelling the request." */
export const PUSH_ATTEMPTS_MAX = 5;

const optinOf = preparedQuery((db, args: { shortcode: string }) => db.selectFrom('billmanager_optins').select(['callback_url', 'business_id']).where('shortcode', '=', args.shortcode));

export function registerPaymentPush(): void {
  onPaymentRecorded('billmanager-push', async (trx, ctx, { payment }) => {
    if (!payment.shortcode) return;
    const optin = await optinOf.first(trx, { shortcode: payment.shortcode });
    if (!optin || optin.business_id !== payment.business_id) return;
    const business = await trx.selectFrom('businesses').select('timezone').where('id', '=', payment.business_id).executeTakeFirstOrThrow();
    const body = {
      transactionId: payment.provider_ref,
      paidAmount: formatMajor(Number(payment.amount_minor), parseCurrency(payment.currency)).replace(/\.00$/, ''),
      msisdn: (payment.payer_phone ?? '').replace(/^\+/, ''),
      dateCreated: localDate(new Date(payment.received_at), business.timezone),
      accountReference: payment.account_ref_raw ?? '',
      shortCode: payment.shortcode,
    };
    await enqueueMessage(trx, ctx.clock.now(), {
      businessId: payment.business_id, channel: 'webhook', kind: 'billmanager_payment', dedupeKey: `bm-push:${payment.id}`,
      recipient: optin.callback_url, attemptsMax: PUSH_ATTEMPTS_MAX, payload: { shortcode: payment.shortcode, body },
    });
  });
}

/** The outbox sender for webhook messages: signs with the business's secret and POSTs once. */
export function webhookSender(store: Store, keys: KeyRing, nowS: () => number) {
  return async (message: Claimed, payload: Record<string, unknown>): Promise<DeliveryOutcome> => {
    const optin = await store.db.selectFrom('billmanager_optins').select('webhook_secret')
      .where('business_id', '=', message.business_id).where('shortcode', '=', String(payload.shortcode)).executeTakeFirst();
    if (!optin) return { outcome: 'failed', detail: 'the business has no webhook secret (not opted in)' };
    const body = JSON.stringify(payload.body);
    const result = await postJson(message.recipient, body, webhookHeaders(open(keys, optin.webhook_secret), message.id, nowS(), body));
    return result;
  };
}
