/**
 * A journal entry as the domain builds it, before storage. Building one asserts the double-entry
 * invariant: a money movement that does not balance is a bug to stop on, never a row to store.
 */
import { assert } from '../errors.js';
import { assertMinor, sumMinor, type Currency } from '../money.js';
import type { SystemAccountKey } from './chart.js';

export type EntryKind =
  | 'invoice_issued'
  | 'invoice_cancelled'
  | 'payment_received'
  | 'allocation'
  | 'allocation_reversed'
  | 'suspense_assigned'
  | 'credit_transferred'
  | 'credit_refunded'
  | 'invoice_adjusted'
  | 'bill_posted'
  | 'bill_paid'
  | 'wht_transferred'
  | 'bill_voided'
  | 'bill_reposted';

/** A system account by its key, or any account of the business's chart by id (expense lines of a bill). */
export type AccountRef = SystemAccountKey | { id: string };

export interface LineDraft {
  account: AccountRef;
  customerId?: string | null;
  debitMinor: number;
  creditMinor: number;
}

export interface EntryDraft {
  kind: EntryKind;
  currency: Currency;
  memo: string;
  invoiceId?: string | null;
  paymentId?: string | null;
  reversesEntryId?: string | null;
  lines: LineDraft[];
}

export const debit = (account: AccountRef, amountMinor: number, customerId?: string | null): LineDraft =>
  ({ account, customerId: customerId ?? null, debitMinor: amountMinor, creditMinor: 0 });

export const credit = (account: AccountRef, amountMinor: number, customerId?: string | null): LineDraft =>
  ({ account, customerId: customerId ?? null, debitMinor: 0, creditMinor: amountMinor });

/** Drops zero lines (a 0% tax line, say) and asserts what is left balances. */
export function buildEntry(draft: EntryDraft): EntryDraft {
  const lines = draft.lines.filter((l) => l.debitMinor !== 0 || l.creditMinor !== 0);
  assertBalanced(lines);
  return { ...draft, lines };
}

export function assertBalanced(lines: ReadonlyArray<{ debitMinor: number; creditMinor: number }>): void {
  assert(lines.length >= 2, 'a journal entry needs at least two lines');
  for (const line of lines) {
    assertMinor(line.debitMinor, 'debit');
    assertMinor(line.creditMinor, 'credit');
    assert(line.debitMinor >= 0 && line.creditMinor >= 0, 'journal amounts are never negative');
    assert((line.debitMinor === 0) !== (line.creditMinor === 0), 'a journal line is a debit or a credit, not both');
  }
  const debits = sumMinor(lines.map((l) => l.debitMinor));
  const credits = sumMinor(lines.map((l) => l.creditMinor));
  assert(debits === credits, `journal entry does not balance: debits ${debits} != credits ${credits}`);
}

/** The entry that undoes another: same lines, sides swapped. */
export function reversalOf(original: EntryDraft, kind: EntryKind, memo: string, originalId: string): EntryDraft {
  return buildEntry({
    ...original,
    kind,
    memo,
    reversesEntryId: originalId,
    lines: original.lines.map((l) => ({ ...l, debitMinor: l.creditMinor, creditMinor: l.debitMinor })),
  });
}
