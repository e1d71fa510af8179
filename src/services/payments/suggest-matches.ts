/**
 * Suggestions for a payment waiting in suspense: open invoices whose reference is close to what
 * was typed, whose balance equals the amount, or whose customer has the paying phone. At most
 * three, best first. They are shown to a person and never applied automatically.
 */
import { accountRefKey, editDistance, phoneKey } from '../../domain/customers.js';
import type { Q } from '../tx.js';

export const SUGGESTIONS_MAX = 3;
const CANDIDATES_MAX = 500;

export interface Suggestion {
  invoiceId: string;
  invoiceNumber: string;
  accountRef: string;
  customerName: string;
  balanceMinor: number;
  reasons: Array<'close_reference' | 'same_amount' | 'same_phone'>;
}

export async function suggestMatches(q: Q, businessId: string, payment: { currency: string; amount_minor: number; account_ref_raw: string | null; payer_phone: string | null }): Promise<Suggestion[]> {
  const typed = accountRefKey(payment.account_ref_raw ?? '');
  const phone = phoneKey(payment.payer_phone);
  const candidates = await q.selectFrom('invoices as i').innerJoin('customers as c', 'c.id', 'i.customer_id')
    .select((eb) => ['i.id', 'i.number', 'i.total_minor', 'i.external_ref_key', 'c.account_ref', 'c.account_ref_key', 'c.name', 'c.phone_key',
      eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.invoice_id', '=', 'i.id').as('allocated')])
    .where('i.business_id', '=', businessId).where('i.currency', '=', payment.currency)
    .where('i.status', 'in', ['open', 'partially_paid', 'overdue'])
    .orderBy('i.due_date').limit(CANDIDATES_MAX).execute();
  const scored = candidates.map((c) => {
    const balanceMinor = Number(c.total_minor) - Number(c.allocated ?? 0);
    const reasons: Suggestion['reasons'] = [];
    const distance = typed ? Math.min(editDistance(typed, c.account_ref_key, 2), c.external_ref_key ? editDistance(typed, c.external_ref_key, 2) : 3) : 3;
    if (distance <= 2) reasons.push('close_reference');
    if (balanceMinor === Number(payment.amount_minor)) reasons.push('same_amount');
    if (phone && c.phone_key === phone) reasons.push('same_phone');
    return { suggestion: { invoiceId: c.id, invoiceNumber: c.number, accountRef: c.account_ref, customerName: c.name, balanceMinor, reasons }, score: reasons.length * 10 - distance };
  });
  return scored.filter((s) => s.suggestion.reasons.length > 0).sort((a, b) => b.score - a.score).slice(0, SUGGESTIONS_MAX).map((s) => s.suggestion);
}
