/**
 * Spends a customer's unapplied money (overpayments, payments that arrived before their invoice)
 * on their open invoices: the invoice a payment named first, then the oldest due.
 */
import { planAllocations } from '../../domain/payments/allocation-plan.js';
import { allocationEntry } from '../../domain/ledger/entries.js';
import { newId } from '../../domain/ids.js';
import { parseCurrency } from '../../domain/money.js';
import type { Ctx } from '../context.js';
import { lockCustomer } from '../invoices/invoice-queries.js';
import { applyInvoiceStatus } from '../invoices/refresh-status.js';
import { entryRows, insertEntryRows, type EntryRows } from '../ledger/post-entry.js';
import { systemAccountIds } from '../ledger/accounts.js';
import type { AllocationsTable } from '../../storage/schema.js';
import { insertRows, type Q } from '../tx.js';
import { openInvoicesOf, paymentsWithRemainder } from './payment-queries.js';

export interface AppliedAllocation {
  id: string;
  paymentId: string;
  invoiceId: string;
  amountMinor: number;
}

export async function applyCustomerCredit(q: Q, ctx: Ctx, businessId: string, customerId: string, today: string, onlyPaymentId?: string): Promise<AppliedAllocation[]> {
  await lockCustomer(q, ctx.store.engine, businessId, customerId);
  const payments = (await paymentsWithRemainder(q, businessId, customerId)).filter((p) => !onlyPaymentId || p.id === onlyPaymentId);
  if (payments.length === 0) return [];
  return spend(q, ctx, businessId, customerId, today, payments);
}

/**
 * The same for a payment recorded a moment ago in this transaction, whose customer the caller has
 * already locked: nothing has been allocated or refunded from it yet, so all of it is left to spend.
 * The payment's own journal entry, built but not yet written, goes in with its allocations' entries.
 */
export async function applyNewPayment(q: Q, ctx: Ctx, businessId: string, customerId: string, today: string,
  payment: { id: string; currency: string; amountMinor: number; targetInvoiceId: string | null }, receivedEntry: EntryRows): Promise<AppliedAllocation[]> {
  return spend(q, ctx, businessId, customerId, today, [{ id: payment.id, currency: payment.currency, targetInvoiceId: payment.targetInvoiceId, remainderMinor: payment.amountMinor }], [receivedEntry]);
}

async function spend(q: Q, ctx: Ctx, businessId: string, customerId: string, today: string,
  payments: ReadonlyArray<{ id: string; currency: string; targetInvoiceId: string | null; remainderMinor: number }>, entries: EntryRows[] = []): Promise<AppliedAllocation[]> {
  const invoices = await openInvoicesOf(q, businessId, customerId);
  const accounts = await systemAccountIds(q, businessId);
  const now = ctx.clock.now().toISOString();
  const applied: AppliedAllocation[] = [];
  const allocationRows: AllocationsTable[] = [];
  for (const payment of payments) {
    const candidates = invoices.filter((i) => i.currency === payment.currency && i.balanceMinor > 0);
    for (const step of planAllocations(payment.remainderMinor, candidates, payment.targetInvoiceId)) {
      const invoice = candidates.find((i) => i.id === step.invoiceId)!;
      const entry = entryRows(ctx, businessId, accounts, allocationEntry({
        paymentId: payment.id, invoiceId: invoice.id, invoiceNumber: invoice.number, customerId,
        currency: parseCurrency(payment.currency), amountMinor: step.amountMinor,
      }), now);
      entries.push(entry);
      const id = newId('alloc');
      allocationRows.push({
        id, business_id: businessId, payment_id: payment.id, invoice_id: invoice.id, customer_id: customerId,
        amount_minor: step.amountMinor, reverses_allocation_id: null, journal_entry_id: entry.entry.id, created_at: now,
      });
      invoice.balanceMinor -= step.amountMinor;
      applied.push({ id, paymentId: payment.id, invoiceId: invoice.id, amountMinor: step.amountMinor });
    }
  }
  // One insert per table; the entries first, since each allocation names its entry.
  await insertEntryRows(q, entries);
  await insertRows(q, 'allocations', allocationRows);
  // The balances read above under the customer's lock, less what was just allocated, are the invoices' balances now.
  for (const invoiceId of new Set(applied.map((a) => a.invoiceId))) {
    const invoice = invoices.find((i) => i.id === invoiceId)!;
    await applyInvoiceStatus(q, { id: invoice.id, businessId, status: invoice.status, totalMinor: invoice.totalMinor, dueDate: invoice.dueDate },
      invoice.totalMinor - invoice.balanceMinor, today, now);
  }
  return applied;
}

/** Of these customers, the ones whose credit sub-ledger holds money (in any currency). */
export async function customersWithCredit(q: Q, businessId: string, customerIds: string[]): Promise<string[]> {
  if (customerIds.length === 0) return [];
  const creditAccount = (await systemAccountIds(q, businessId)).get('customer_credit')!;
  const found = new Set<string>();
  for (let i = 0; i < customerIds.length; i += 500) {
    const rows = await q.selectFrom('journal_lines as l')
      .innerJoin('journal_entries as e', 'e.id', 'l.entry_id')
      .select((eb) => ['l.customer_id', 'e.currency', eb.fn.sum<number>('l.credit_minor').as('credits'), eb.fn.sum<number>('l.debit_minor').as('debits')])
      .where('l.business_id', '=', businessId).where('l.account_id', '=', creditAccount)
      .where('l.customer_id', 'in', customerIds.slice(i, i + 500))
      .groupBy(['l.customer_id', 'e.currency']).execute();
    for (const row of rows) if (Number(row.credits) > Number(row.debits) && row.customer_id) found.add(row.customer_id);
  }
  return [...found];
}
