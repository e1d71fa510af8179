/**
 * The outbox channel that talks to MTN on behalf of a transaction that could not (no network
 * inside a transaction): creating the MoMo invoice of an issued invoice, and cancelling one.
 * Each is safe to repeat, so a retry after a crash or a timeout does no harm.
 */
import type { Claimed } from '../../jobs/outbox/claim.js';
import type { DeliveryOutcome } from '../../jobs/outbox/complete.js';
import { AppError } from '../../domain/errors.js';
import type { Clock } from '../../domain/clock.js';
import type { KeyRing } from '../../security/secret-box.js';
import type { Store } from '../../storage/database.js';
import { ensureMomoInvoice } from './momo-invoices.js';
import { momoClientOf, momoSettingsOf } from './momo-settings.js';

export function momoSender(store: Store, keys: KeyRing, clock: Clock, publicUrl: () => string) {
  const ctx = { store, clock, actor: { type: 'system' as const, id: 'momo-outbox' } };
  return async (message: Claimed, payload: Record<string, unknown>): Promise<DeliveryOutcome> => {
    try {
      if (message.kind === 'momo_invoice') {
        const row = await ensureMomoInvoice(ctx, keys, message.business_id, String(payload.invoiceId), publicUrl(), { referenceId: String(payload.referenceId) });
        if (!row) return { outcome: 'cancelled', detail: 'MoMo is not offered for this invoice any more' };
        return { outcome: 'delivered', providerMessageId: row.id, detail: `MoMo invoice ${row.status}${row.payment_reference ? `, reference ${row.payment_reference}` : ''}` };
      }
      if (message.kind === 'momo_cancel') {
        const row = await store.db.selectFrom('momo_requests').selectAll().where('id', '=', String(payload.requestId)).executeTakeFirst();
        if (!row || !['creating', 'pending'].includes(row.status)) return { outcome: 'cancelled', detail: `MoMo request is ${row?.status ?? 'gone'}` };
        const client = momoClientOf(keys, clock, await momoSettingsOf(store.db, row.business_id));
        await client.cancelInvoice(row.id, row.invoice_id);
        // The poll job confirms the cancellation soon (or finds the payment that beat it).
        await store.db.updateTable('momo_requests').set({ next_poll_at: clock.now().toISOString() }).where('id', '=', row.id).execute();
        return { outcome: 'delivered', providerMessageId: row.id, detail: 'cancel sent to MTN' };
      }
      return { outcome: 'failed', detail: `unknown MoMo message kind ${message.kind}` };
    } catch (error) {
      // Our own refusals (no phone, not set up) will not get better by retrying.
      if (error instanceof AppError && error.code !== 'provider_error') return { outcome: 'failed', detail: error.message };
      throw error;
    }
  };
}
