/**
 * Recomputes the ledger's invariants for one business from its rows. Used by the property tests,
 * by `billmanager ledger verify`, and safe to run any time: it only reads.
 *  1. every journal entry balances (per entry, in its currency);
 *  2. no invoice is over-allocated, none is negative;
 *  3. per currency: allocations + customer credit + suspense = payments received − refunds;
 *  4. per currency: the receivable account equals issued totals − cancellations − allocations.
 */
import type { Q } from '../tx.js';
import { systemAccountBalance } from './balances.js';

export interface LedgerReport {
  ok: boolean;
  problems: string[];
  byCurrency: Record<string, { receivedMinor: number; refundedMinor: number; allocatedMinor: number; creditMinor: number; suspenseMinor: number; receivableMinor: number }>;
}

export async function verifyLedger(q: Q, businessId: string): Promise<LedgerReport> {
  const problems: string[] = [];
  const unbalanced = await q.selectFrom('journal_lines')
    .select((eb) => ['entry_id', eb.fn.sum<number>('debit_minor').as('d'), eb.fn.sum<number>('credit_minor').as('c')])
    .where('business_id', '=', businessId).groupBy('entry_id').execute();
  for (const row of unbalanced) if (Number(row.d) !== Number(row.c)) problems.push(`entry ${row.entry_id} does not balance (${row.d} != ${row.c})`);

  const invoices = await q.selectFrom('invoices as i')
    .select((eb) => ['i.id', 'i.status', 'i.currency', 'i.total_minor',
      eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.invoice_id', '=', 'i.id').as('allocated')])
    .where('i.business_id', '=', businessId).execute();
  const currencies = new Set<string>(invoices.map((i) => i.currency));
  const byCurrency: LedgerReport['byCurrency'] = {};
  const expectedReceivable = new Map<string, number>();
  for (const invoice of invoices) {
    const allocated = Number(invoice.allocated ?? 0);
    if (allocated < 0 || allocated > Number(invoice.total_minor)) problems.push(`invoice ${invoice.id} allocated ${allocated} of ${invoice.total_minor}`);
    if (invoice.status === 'paid' && allocated !== Number(invoice.total_minor)) problems.push(`invoice ${invoice.id} is paid but allocated ${allocated} of ${invoice.total_minor}`);
    const outstanding = invoice.status === 'draft' || invoice.status === 'cancelled' ? 0 : Number(invoice.total_minor) - allocated;
    expectedReceivable.set(invoice.currency, (expectedReceivable.get(invoice.currency) ?? 0) + outstanding);
  }

  const payments = await q.selectFrom('payments').select((eb) => ['currency', eb.fn.sum<number>('amount_minor').as('s')]).where('business_id', '=', businessId).groupBy('currency').execute();
  const refunds = await q.selectFrom('refunds').innerJoin('payments', 'payments.id', 'refunds.payment_id')
    .select((eb) => ['payments.currency', eb.fn.sum<number>('refunds.amount_minor').as('s')]).where('refunds.business_id', '=', businessId).groupBy('payments.currency').execute();
  const allocations = await q.selectFrom('allocations').innerJoin('payments', 'payments.id', 'allocations.payment_id')
    .select((eb) => ['payments.currency', eb.fn.sum<number>('allocations.amount_minor').as('s')]).where('allocations.business_id', '=', businessId).groupBy('payments.currency').execute();
  for (const row of payments) currencies.add(row.currency);

  for (const currency of currencies) {
    const receivedMinor = Number(payments.find((r) => r.currency === currency)?.s ?? 0);
    const refundedMinor = Number(refunds.find((r) => r.currency === currency)?.s ?? 0);
    const allocatedMinor = Number(allocations.find((r) => r.currency === currency)?.s ?? 0);
    const creditMinor = await systemAccountBalance(q, businessId, 'customer_credit', currency);
    const suspenseMinor = await systemAccountBalance(q, businessId, 'suspense', currency);
    const receivableMinor = await systemAccountBalance(q, businessId, 'accounts_receivable', currency);
    byCurrency[currency] = { receivedMinor, refundedMinor, allocatedMinor, creditMinor, suspenseMinor, receivableMinor };
    if (allocatedMinor + creditMinor + suspenseMinor !== receivedMinor - refundedMinor) {
      problems.push(`${currency}: allocations ${allocatedMinor} + credit ${creditMinor} + suspense ${suspenseMinor} != received ${receivedMinor} - refunded ${refundedMinor}`);
    }
    if (creditMinor < 0 || suspenseMinor < 0) problems.push(`${currency}: negative credit (${creditMinor}) or suspense (${suspenseMinor})`);
    if (receivableMinor !== (expectedReceivable.get(currency) ?? 0)) {
      problems.push(`${currency}: receivable account ${receivableMinor} != outstanding invoices ${expectedReceivable.get(currency) ?? 0}`);
    }
  }
  return { ok: problems.length === 0, problems, byCurrency };
}
