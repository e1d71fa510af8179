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
import { AfricasTalkingAdapter } from './africastalking/client.js';
import { LogSmsAdapter } from './log-adapter.js';
import { countSegments } from './segments.js';
import { momoPresentation } from '../../services/momo/momo-presentation.js';

const STILL_DUE = new Set(['open', 'partially_paid', 'overdue']);
/** How long an e-invoice SMS waits for its MoMo payment reference before going without it. */
export const MOMO_WAIT_MS = 3 * 60_000;
const MOMO_DIAL: Record<string, string> = { en: 'Or MTN MoMo: dial', sw: 'Au MTN MoMo: piga' };

/** The MoMo sentence for an invoice's SMS, '' when it has none, 'coming' while its MoMo invoice is being created. */
async function momoLine(store: Store, businessId: string, invoiceId: string, language: string, at: Date): Promise<string> {
  const shown = await momoPresentation(store.db, invoiceId, at);
  if (shown) return ` ${MOMO_DIAL[language] ?? MOMO_DIAL.en} ${shown.ussd}`;
  const creating = await store.db.selectFrom('momo_requests').select('id').where('invoice_id', '=', invoiceId).where('kind', '=', 'invoice').where('live_slot', '=', 'live').where('status', '=', 'creating').executeTakeFirst();
  const queued = creating ?? await store.db.selectFrom('outbox_messages').select('id').where('business_id', '=', businessId).where('dedupe_key', '=', `momo:${invoiceId}:issue`).where('status', 'in', ['pending', 'in_flight']).executeTakeFirst();
  return queued ? 'coming' : '';
}

/** The business's own provider when it set one, the platform's otherwise; adapters are kept until the settings change. */
export function adapterResolver(store: Store, platform: SmsAdapter, keys?: KeyRing) {
  const cache = new Map<string, { updatedAt: string; adapter: SmsAdapter }>();
  return async (businessId: string): Promise<SmsAdapter> => {
    const settings = keys ? await notificationSettingsOf(store.db, businessId) : undefined;
    if (!settings?.sms_provider) return platform;
    const cached = cache.get(businessId);
    if (cached && cached.updatedAt === settings.updated_at) return cached.adapter;
    const adapter: SmsAdapter = settings.sms_provider === 'africastalking'
      ? new AfricasTalkingAdapter({ username: settings.at_username!, apiKey: open(keys!, settings.at_api_key_sealed!), senderId: settings.at_sender_id ?? undefined, baseUrl: settings.at_base_url ?? undefined })
      : new LogSmsAdapter();
    cache.set(businessId, { updatedAt: settings.updated_at, adapter });
    return adapter;
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
      let momo = await momoLine(store, message.business_id, payload.invoiceId, String(payload.language ?? 'en'), now());
      if (momo === '' && message.kind === 'reminder' && renewMomo) {
        // Best effort: a reminder without a MoMo line still tells the payer how to pay.
        await renewMomo(message.business_id, payload.invoiceId).catch(() => undefined);
        momo = await momoLine(store, message.business_id, payload.invoiceId, String(payload.language ?? 'en'), now());
      }
      // The e-invoice waits a little for its MoMo reference rather than go out without it.
      if (momo === 'coming' && now().getTime() - new Date(message.created_at).getTime() < MOMO_WAIT_MS) {
        return { outcome: 'deferred', until: new Date(now().getTime() + 5_000), detail: 'waiting for the MoMo payment reference' };
      }
      vars.momo_line = momo === 'coming' ? '' : momo;
    }
    const text = renderTemplate(templateText('sms', String(payload.template ?? message.kind), String(payload.language ?? 'en'), message.business_id), vars);
    const result = await (await adapterFor(message.business_id)).send({ to: message.recipient, text });
    const segments = countSegments(text);
    const detail = `${result.detail} (${segments.segments} ${segments.encoding} segment${segments.segments === 1 ? '' : 's'})`;
    if (result.outcome === 'sent') return { outcome: 'delivered', providerMessageId: result.providerMessageId, detail };
    return { outcome: result.outcome, detail };
  };
}
