/** Per-business counters (invoice numbers), advanced by one guarded UPDATE so two writers never share a value. */
import { assert } from '../domain/errors.js';
import type { Q } from './tx.js';

/** Reserves `count` consecutive values and returns the first. */
export async function reserveSequence(q: Q, businessId: string, name: string, count = 1): Promise<number> {
  assert(Number.isInteger(count) && count >= 1, 'reserve at least one value');
  const row = await q.updateTable('sequences')
    .set((eb) => ({ next_value: eb('next_value', '+', count) }))
    .where('business_id', '=', businessId).where('name', '=', name)
    .returning('next_value').executeTakeFirst();
  assert(row, `sequence ${name} missing for business ${businessId}`);
  return Number(row.next_value) - count;
}

export async function createSequence(q: Q, businessId: string, name: string): Promise<void> {
  await q.insertInto('sequences').values({ business_id: businessId, name, next_value: 1 }).execute();
}
