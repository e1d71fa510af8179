/** The chart of accounts in storage: created with the business, looked up by system key. */
import { SYSTEM_ACCOUNTS, type SystemAccountKey } from '../../domain/ledger/chart.js';
import { assert } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { Q } from '../tx.js';

export async function createDefaultChart(q: Q, businessId: string, createdAt: string): Promise<void> {
  const rows = Object.entries(SYSTEM_ACCOUNTS).map(([key, account]) => ({
    id: newId('acct'),
    business_id: businessId,
    code: account.code,
    name: account.name,
    type: account.type,
    system_key: key,
    active: 1,
    created_at: createdAt,
  }));
  await q.insertInto('accounts').values(rows).execute();
}

// Account ids never change once created, and ids are globally unique, so one process-wide cache is safe.
const cache = new Map<string, Map<string, string>>();

export async function systemAccountIds(q: Q, businessId: string): Promise<Map<string, string>> {
  const cached = cache.get(businessId);
  if (cached) return cached;
  const rows = await q.selectFrom('accounts').select(['id', 'system_key'])
    .where('business_id', '=', businessId).where('system_key', 'is not', null).execute();
  const map = new Map(rows.map((r) => [r.system_key!, r.id]));
  if (map.size > 0) cache.set(businessId, map);
  return map;
}

export async function systemAccountId(q: Q, businessId: string, key: SystemAccountKey): Promise<string> {
  const id = (await systemAccountIds(q, businessId)).get(key);
  assert(id, `business ${businessId} has no ${key} account`);
  return id;
}
