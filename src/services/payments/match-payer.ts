/**
 * The reconciliation engine's matching rules, in order (each payment records which one matched):
 *  - account_reference: what the payer typed equals a customer's account reference, compared
 *    ignoring case, spaces, -, _, ., / and a leading # (see accountRefKey);
 *  - external_reference: it equals one of the business's invoices' external references;
 *  - invoice_number: it equals one of our invoice numbers (INV-000123, as printed on the SMS);
 *  - phone: no reference matched, but the paying phone belongs to exactly one customer who has
 *    open invoices (two or more such customers: no match).
 * No match means suspense, where a person decides. Only the receiving business is searched.
 */
import { accountRefKey, phoneKey } from '../../domain/customers.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import type { Q } from '../tx.js';

export type MatchRule = 'account_reference' | 'external_reference' | 'invoice_number' | 'phone';

export interface PayerMatch {
  customerId: string;
  invoiceId: string | null;
  how: MatchRule;
}

const INVOICE_NUMBER_KEY = /^INV(\d{1,12})$/;

const byAccountRef = preparedQuery((db, args: { businessId: string; key: string }) => db.selectFrom('customers').select('id')
  .where('business_id', '=', args.businessId).where('account_ref_key', '=', args.key));

const byExternalRef = preparedQuery((db, args: { businessId: string; key: string }) => db.selectFrom('invoices').select(['id', 'customer_id'])
  .where('business_id', '=', args.businessId).where('external_ref_key', '=', args.key)
  .orderBy('created_at', 'desc'));

export async function matchPayer(q: Q, businessId: string, typedRef: string | null | undefined, payerPhone?: string | null): Promise<PayerMatch | null> {
  const key = accountRefKey(typedRef ?? '');
  if (key) {
    const customer = await byAccountRef.first(q, { businessId, key });
    if (customer) return { customerId: customer.id, invoiceId: null, how: 'account_reference' };
    const byExternal = await byExternalRef.first(q, { businessId, key });
    if (byExternal) return { customerId: byExternal.customer_id, invoiceId: byExternal.id, how: 'external_reference' };
    const number = INVOICE_NUMBER_KEY.exec(key);
    if (number) {
      const byNumber = await q.selectFrom('invoices').select(['id', 'customer_id'])
        .where('business_id', '=', businessId).where('number', '=', `INV-${number[1]!.padStart(6, '0')}`).executeTakeFirst();
      if (byNumber) return { customerId: byNumber.customer_id, invoiceId: byNumber.id, how: 'invoice_number' };
    }
  }
  const phone = phoneKey(payerPhone);
  if (phone) {
    const owners = await q.selectFrom('customers').select('customers.id')
      .where('customers.business_id', '=', businessId).where('customers.phone_key', '=', phone)
      .where((eb) => eb.exists(eb.selectFrom('invoices').select('invoices.id')
        .whereRef('invoices.customer_id', '=', 'customers.id').where('invoices.status', 'in', ['open', 'partially_paid', 'overdue'])))
      .limit(2).execute();
    if (owners.length === 1) return { customerId: owners[0]!.id, invoiceId: null, how: 'phone' };
  }
  return null;
}
