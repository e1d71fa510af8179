/** What a payer is shown for a live MoMo invoice (seed 003): the USSD string, its QR, and the dial-and-enter steps. */
import { featurePhoneInstructions, momoUssdString } from '../../rails/momo/ussd.js';
import type { Q } from '../tx.js';

export interface MomoPresentation { paymentReference: string; ussd: string; instructions: string; expiresAt: string }

/**
 * Where an invoice's MoMo invoice stands at `at`, from its latest one (one indexed read, so a
 * business without MoMo pays one cheap query): shown (a live reference), coming (MTN has not given
 * the reference yet), expired (a new one is due), or none.
 */
export type MomoState = { kind: 'shown'; shown: MomoPresentation } | { kind: 'coming' } | { kind: 'expired' } | { kind: 'none' };

export async function momoState(q: Q, invoiceId: string, at: Date): Promise<MomoState> {
  const row = await q.selectFrom('momo_requests').innerJoin('momo_settings', 'momo_settings.business_id', 'momo_requests.business_id')
    .select(['momo_requests.status', 'momo_requests.live_slot', 'momo_requests.payment_reference', 'momo_requests.expires_at', 'momo_settings.ussd_prefix'])
    .where('momo_requests.invoice_id', '=', invoiceId).where('momo_requests.kind', '=', 'invoice')
    .orderBy('momo_requests.created_at', 'desc').limit(1).executeTakeFirst();
  if (!row) return { kind: 'none' };
  const live = row.live_slot === 'live';
  if (row.status === 'expired' || (live && new Date(row.expires_at) <= at)) return { kind: 'expired' };
  if (!live) return { kind: 'none' };
  if (row.status !== 'pending' || !row.payment_reference) return { kind: 'coming' };
  return { kind: 'shown', shown: { paymentReference: row.payment_reference, ussd: momoUssdString(row.ussd_prefix, row.payment_reference),
    instructions: featurePhoneInstructions(row.ussd_prefix, row.payment_reference), expiresAt: row.expires_at } };
}

/** The live reference to show, or null (none yet, none at all, or expired by `at`). */
export async function momoPresentation(q: Q, invoiceId: string, at: Date): Promise<MomoPresentation | null> {
  const state = await momoState(q, invoiceId, at);
  return state.kind === 'shown' ? state.shown : null;
}
