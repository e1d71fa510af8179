/**
 * Who a payment is from, by what the payer typed as account reference: an invoice number, the
 * business's own external reference, or a customer's account reference, compared ignoring case,
 * spaces and punctuation. No match means suspense: a person decides, never a guess.
 */
import { accountRefKey } from '../../domain/customers.js';
import type { Q } from '../tx.js';

export interface PayerMatch {
  customerId: string;
  invoiceId: string | null;
  how: 'invoice_number' | 'external_reference' | 'account_reference';
}

export async function matchPayer(q: Q, businessId: string, typedRef: string | null | undefined): Promise<PayerMatch | null> {
  const raw = (typedRef ?? '').trim();
  const key = accountRefKey(raw);
  if (!key) return null;
  const byNumber = await q.selectFrom('invoices').select(['id', 'customer_id'])
    .where('business_id', '=', businessId).where('number', '=', raw.toUpperCase()).executeTakeFirst();
  if (byNumber) return { customerId: byNumber.customer_id, invoiceId: byNumber.id, how: 'invoice_number' };
  const customer = await q.selectFrom('customers').select('id')
    .where('business_id', '=', businessId).where('account_ref_key', '=', key).executeTakeFirst();
  if (customer) return { customerId: customer.id, invoiceId: null, how: 'account_reference' };
  const byExternal = await q.selectFrom('invoices').select(['id', 'customer_id'])
    .where('business_id', '=', businessId).where('external_ref', '=', raw).executeTakeFirst();
  if (byExternal) return { customerId: byExternal.customer_id, invoiceId: byExternal.id, how: 'external_reference' };
  return null;
}
