/**
 * The outbox sender for SMS: renders the message's template in the customer's language, skips a
 * reminder whose invoice no longer expects money, and hands the text to the configured provider.
 */
import { addDays, localDate } from '../../domain/clock.js';
import type { Claimed } from '../../jobs/outbox/claim.js';
import type { DeliveryOutcome } from '../../jobs/outbox/complete.js';
import type { Store } from '../../storage/database.js';
import { renderTemplate, templateText } from '../templates.js';
import type { SmsAdapter } from './adapter.js';
import { open, type KeyRing } from '../../security/secret-box.js';
import { notificationSettingsOf } from '../../services/notifications/notification-settings.js';
import { perBusinessCache } from '../../services/settings-cache.js';
import { AfricasTalkingAdapter } from './africastalking/client.js';
import { LogSmsAdapter } from './log-adapter.js';
import { countSegments } from './segments.js';
import { momoState } from '../../services/momo/momo-presentation.js';

const STILL_DUE = new Set(['open', 'partially_paid', 'overdue']);
/** How long an e-invoice SMS waits for its MoMo payment reference before going without it. */
export const MOMO_WAIT_MS = 3 * 60_000;
const MOMO_DIAL: Record<string, string> = { en: 'Or MTN MoMo: dial', sw: 'Au MTN MoMo: piga' };

/** The MoMo sentence for an invoice's SMS ('' when it has none), or how its MoMo invoice stands. */
async function momoLine(store: Store, invoiceId: string, language: string, at: Date): Promise<string | 'coming' | 'expired'> {
  const state = await momoState(store.db, invoiceId, at);
  if (state.kind === 'shown') return ` ${MOMO_DIAL[language] ?? MOMO_DIAL.en} ${state.shown.ussd}`;
  return state.kind === 'none' ? '' : state.kind;
}

/** The business's own provider when it set one, the platform's otherwise; adapters are kept until the settings change. */
export function adapterResolver(store: Store, platform: SmsAdapter, keys?: KeyRing) {
  const adapters = perBusinessCache<SmsAdapter>();
  return async (businessId: string): Promise<SmsAdapter> => {
    const settings = keys ? await notificationSettingsOf(store.db, businessId) : undefined;
    if (!settings?.sms_provider) return platform;
    return adapters(businessId, settings.updated_at, () => (settings.sms_provider === 'africastalking'
      ? new AfricasTalkingAdapter({ username: settings.at_username!, apiKey: open(keys!, settings.at_api_key_sealed!), senderId: settings.at_sender_id ?? undefined, baseUrl: settings.at_base_url ?? undefined })
      : new LogSmsAdapter()));
  };
}

/** Makes a fresh MoMo invoice for a reminder whose earlier one expired (MTN caps validity at 30 days). */
export type MomoRenewer = (businessId: string, invoiceId: string) => Promise<unknown>;

export function smsSender(store: Store, adapter: SmsAdapter, now: () => Date = () => new Date(), keys?: KeyRing, renewMomo?: MomoRenewer) {
  const adapterFor = adapterResolver(store, adapter, keys);
  return async (message: Claimed, payload: Record<string, unknown>): Promise<DeliveryOutcome> => {
    if ((message.kind === 'reminder' || message.kind === 'overdue') && typeof payload.invoiceId === 'string') {
      const invoice = await store.db.selectFrom('invoices').innerJoin('businesses', 'businesses.id', 'invoices.business_id')
        .select(['invoices.status', 'invoices.due_date', 'businesses.timezone']).where('invoices.id', '=', payload.invoiceId).executeTakeFirst();
      if (!invoice || !STILL_DUE.has(invoice.status)) return { outcome: 'cancelled', detail: `invoice is ${invoice?.status ?? 'gone'}` };
      // A server that was down sends today's reminder late, but never yesterday's.
      if (message.kind === 'reminder' && typeof payload.daysBefore === 'number' && addDays(invoice.due_date, -payload.daysBefore) < localDate(now(), invoice.timezone)) {
        return { outcome: 'cancelled', detail: 'its day has passed' };
      }
    }
    const vars = { ...(payload.vars ?? {}) as Record<string, unknown> };
    if ((message.kind === 'invoice' || message.kind === 'reminder') && typeof payload.invoiceId === 'string') {
      const language = String(payload.language ?? 'en');
      let momo = await momoLine(store, payload.invoiceId, language, now());
      // The invoice's MoMo invoice is queued with this SMS but not made yet.
      if (momo === '' && payload.momo === true) momo = 'coming';
      if (momo === 'expired' && message.kind === 'reminder' && renewMomo) {
        // Best effort: a reminder without a MoMo line still tells the payer how to pay.
        await renewMomo(message.business_id, payload.invoiceId).catch(() => undefined);
        momo = await momoLine(store, payload.invoiceId, language, now());
      }
      // The e-invoice waits a little for its MoMo reference rather than go out without it.
      if (momo === 'coming' && now().getTime() - new Date(message.created_at).getTime() < MOMO_WAIT_MS) {
        return { outcome: 'deferred', until: new Date(now().getTime() + 5_000), detail: 'waiting for the MoMo payment reference' };
      }
      vars.momo_line = momo === 'coming' || momo === 'expired' ? '' : momo;
    }
    const text = renderTemplate(templateText('sms', String(payload.template ?? message.kind), String(payload.language ?? 'en'), message.business_id), vars);
    const result = await (await adapterFor(message.business_id)).send({ to: message.recipient, text });
    const segments = countSegments(text);
    const detail = `${result.detail} (${segments.segments} ${segments.encoding} segment${segments.segments === 1 ? '' : 's'})`;
    if (result.outcome === 'sent') return { outcome: 'delivered', providerMessageId: result.providerMessageId, detail };
    return { outcome: result.outcome, detail };
  };
}
