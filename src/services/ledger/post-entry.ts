/** Writes balanced journal entries. Called inside the transaction of the state change they explain. */
import { assertBalanced, buildEntry, type EntryDraft } from '../../domain/ledger/journal.js';
import { assert } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import type { JournalEntriesTable, JournalLinesTable } from '../../storage/schema.js';
import { actorLabel, type Ctx } from '../context.js';
import { insertRows, type Q } from '../tx.js';
import { systemAccountIds } from './accounts.js';

export interface EntryRows {
  entry: JournalEntriesTable;
  lines: JournalLinesTable[];
}

/** Turns a draft into rows (asserting the balance) without writing, so batches can insert many at once. */
export function entryRows(ctx: Ctx, businessId: string, accounts: Map<string, string>, draft: EntryDraft, createdAt: string): EntryRows {
  const entry = buildEntry(draft);
  const entryId = newId('je');
  return {
    entry: {
      id: entryId, business_id: businessId, currency: entry.currency, kind: entry.kind, memo: entry.memo.slice(0, 500),
      invoice_id: entry.invoiceId ?? null, payment_id: entry.paymentId ?? null, reverses_entry_id: entry.reversesEntryId ?? null,
      actor: actorLabel(ctx.actor), request_id: ctx.actor.requestId ?? null, created_at: createdAt,
    },
    lines: entry.lines.map((line) => {
      const accountId = typeof line.account === 'string' ? accounts.get(line.account) : line.account.id;
      assert(accountId, `business ${businessId} has no ${JSON.stringify(line.account)} account`);
      return { id: newId('jl'), business_id: businessId, entry_id: entryId, account_id: accountId,
        customer_id: line.customerId ?? null, debit_minor: line.debitMinor, credit_minor: line.creditMinor };
    }),
  };
}

export async function insertEntryRows(q: Q, rows: EntryRows[]): Promise<void> {
  await insertRows(q, 'journal_entries', rows.map((r) => r.entry));
  await insertRows(q, 'journal_lines', rows.flatMap((r) => r.lines));
}

export async function postEntry(q: Q, ctx: Ctx, businessId: string, draft: EntryDraft): Promise<string> {
  const rows = entryRows(ctx, businessId, await systemAccountIds(q, businessId), draft, ctx.clock.now().toISOString());
  await insertEntryRows(q, [rows]);
  return rows.entry.id;
}

/** Reads an entry back and re-asserts the balance: the pair to the check on write. */
export async function readEntry(q: Q, businessId: string, entryId: string) {
  const entry = await q.selectFrom('journal_entries').selectAll()
    .where('business_id', '=', businessId).where('id', '=', entryId).executeTakeFirstOrThrow();
  const lines = await q.selectFrom('journal_lines')
    .innerJoin('accounts', 'accounts.id', 'journal_lines.account_id')
    .select(['journal_lines.id', 'journal_lines.account_id', 'accounts.system_key', 'accounts.code',
      'journal_lines.customer_id', 'journal_lines.debit_minor', 'journal_lines.credit_minor'])
    .where('journal_lines.entry_id', '=', entryId).orderBy('journal_lines.id').execute();
  assertBalanced(lines.map((l) => ({ debitMinor: Number(l.debit_minor), creditMinor: Number(l.credit_minor) })));
  return { entry, lines };
}
