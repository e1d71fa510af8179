/** What a payer is shown for a live MoMo invoice (seed 003): the USSD string, its QR, and the dial-and-enter steps. */
import { featurePhoneInstructions, momoUssdString } from '../../rails/momo/ussd.js';
import type { Q } from '../tx.js';

export interface MomoPresentation { paymentReference: string; ussd: string; instructions: string; expiresAt: string }

/** Null when the invoice has no live MoMo invoice with a reference, or (given `at`) when it has expired by then. */
export async function momoPresentation(q: Q, invoiceId: string, at?: Date): Promise<MomoPresentation | null> {
  const row = await q.selectFrom('momo_requests').innerJoin('momo_settings', 'momo_settings.business_id', 'momo_requests.business_id')
    .select(['momo_requests.payment_reference', 'momo_requests.expires_at', 'momo_settings.ussd_prefix'])
    .where('momo_requests.invoice_id', '=', invoiceId).where('momo_requests.kind', '=', 'invoice').where('momo_requests.live_slot', '=', 'live')
    .where('momo_requests.status', '=', 'pending').executeTakeFirst();
  if (!row?.payment_reference || (at && new Date(row.expires_at) <= at)) return null;
  return { paymentReference: row.payment_reference, ussd: momoUssdString(row.ussd_prefix, row.payment_reference), instructions: featurePhoneInstructions(row.ussd_prefix, row.payment_reference), expiresAt: row.expires_at };
}
