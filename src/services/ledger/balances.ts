/**
 * Balances are derived from the journal, never typed in. Debit-normal accounts (assets, expenses)
 * report debits − credits; the others report credits − debits.
 */
import { SYSTEM_ACCOUNTS, type SystemAccountKey } from '../../domain/ledger/chart.js';
import type { Q } from '../tx.js';

export interface TrialBalanceRow {
  accountId: string;
  code: string;
  name: string;
  type: string;
  currency: string;
  debitMinor: number;
  creditMinor: number;
  balanceMinor: number;
}

const debitNormal = (type: string): boolean => type === 'asset' || type === 'expense';

export async function trialBalance(q: Q, businessId: string): Promise<TrialBalanceRow[]> {
  const rows = await q.selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .innerJoin('accounts', 'accounts.id', 'journal_lines.account_id')
    .select((eb) => [
      'accounts.id as accountId', 'accounts.code', 'accounts.name', 'accounts.type', 'journal_entries.currency',
      eb.fn.sum<number>('journal_lines.debit_minor').as('debitMinor'),
      eb.fn.sum<number>('journal_lines.credit_minor').as('creditMinor'),
    ])
    .where('journal_lines.business_id', '=', businessId)
    .groupBy(['accounts.id', 'accounts.code', 'accounts.name', 'accounts.type', 'journal_entries.currency'])
    .orderBy('accounts.code').execute();
  return rows.map((r) => {
    const debitMinor = Number(r.debitMinor);
    const creditMinor = Number(r.creditMinor);
    return { ...r, debitMinor, creditMinor, balanceMinor: debitNormal(r.type) ? debitMinor - creditMinor : creditMinor - debitMinor };
  });
}

/** Balance of one system account in one currency, optionally for one customer (its sub-ledger). */
export async function systemAccountBalance(q: Q, businessId: string, key: SystemAccountKey, currency: string, customerId?: string): Promise<number> {
  let query = q.selectFrom('journal_lines')
    .innerJoin('journal_entries', 'journal_entries.id', 'journal_lines.entry_id')
    .innerJoin('accounts', 'accounts.id', 'journal_lines.account_id')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('journal_lines.debit_minor'), eb.lit(0)).as('debitMinor'),
      eb.fn.coalesce(eb.fn.sum<number>('journal_lines.credit_minor'), eb.lit(0)).as('creditMinor'),
    ])
    .where('journal_lines.business_id', '=', businessId)
    .where('accounts.system_key', '=', key)
    .where('journal_entries.currency', '=', currency);
  if (customerId) query = query.where('journal_lines.customer_id', '=', customerId);
  const row = await query.executeTakeFirstOrThrow();
  const debits = Number(row.debitMinor);
  const credits = Number(row.creditMinor);
  return debitNormal(SYSTEM_ACCOUNTS[key].type) ? debits - credits : credits - debits;
}
