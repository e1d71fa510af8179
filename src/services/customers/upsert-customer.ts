/** Customers are keyed by account reference within a business: a new reference creates the account. */
import { accountRefKey, parseAccountRef, phoneKey } from '../../domain/customers.js';
import { invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { CustomerRow } from '../../storage/schema.js';
import type { Q } from '../tx.js';

export interface CustomerInput {
  accountRef: string;
  name: string;
  phone?: string | null;
  email?: string | null;
  language?: string | null;
}

export const CUSTOMER_NAME_MAX = 200;

/** Finds the customer by account reference or creates it; newer contact details replace older ones. */
export async function upsertCustomer(q: Q, businessId: string, input: CustomerInput, now: string): Promise<CustomerRow> {
  const accountRef = parseAccountRef(input.accountRef);
  const name = input.name.trim();
  if (!name) throw invalid('customer.name', 'must not be empty');
  if (name.length > CUSTOMER_NAME_MAX) throw invalid('customer.name', `must be at most ${CUSTOMER_NAME_MAX} characters`);
  const key = accountRefKey(accountRef);
  const existing = await findCustomerByRef(q, businessId, accountRef);
  if (existing) {
    const changes = {
      name,
      phone: input.phone ?? existing.phone,
      email: input.email ?? existing.email,
      language: input.language ?? existing.language,
    };
    if (changes.name === existing.name && changes.phone === existing.phone && changes.email === existing.email && changes.language === existing.language) {
      return existing;
    }
    await q.updateTable('customers').set({ ...changes, phone_key: phoneKey(changes.phone), updated_at: now }).where('id', '=', existing.id).execute();
    return { ...existing, ...changes, phone_key: phoneKey(changes.phone), updated_at: now };
  }
  const row: CustomerRow = {
    id: newId('cus'), business_id: businessId, account_ref: accountRef, account_ref_key: key, name,
    phone: input.phone ?? null, phone_key: phoneKey(input.phone), email: input.email ?? null, language: input.language ?? null, created_at: now, updated_at: now,
  };
  await q.insertInto('customers').values(row).execute();
  return row;
}

export async function findCustomerByRef(q: Q, businessId: string, accountRef: string): Promise<CustomerRow | undefined> {
  return q.selectFrom('customers').selectAll()
    .where('business_id', '=', businessId).where('account_ref_key', '=', accountRefKey(accountRef)).executeTakeFirst();
}
