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
import { refreshInvoiceStatus } from '../invoices/refresh-status.js';
import { postEntry } from '../ledger/post-entry.js';
import { systemAccountIds } from '../ledger/accounts.js';
import type { Q } from '../tx.js';
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
  const invoices = await openInvoicesOf(q, businessId, customerId);
  const now = ctx.clock.now().toISOString();
  const applied: AppliedAllocation[] = [];
  for (const payment of payments) {
    const candidates = invoices.filter((i) => i.currency === payment.currency && i.balanceMinor > 0);
    for (const step of planAllocations(payment.remainderMinor, candidates, payment.targetInvoiceId)) {
      const invoice = candidates.find((i) => i.id === step.invoiceId)!;
      const entryId = await postEntry(q, ctx, businessId, allocationEntry({
        paymentId: payment.id, invoiceId: invoice.id, invoiceNumber: invoice.number, customerId,
        currency: parseCurrency(payment.currency), amountMinor: step.amountMinor,
      }));
      const id = newId('alloc');
      await q.insertInto('allocations').values({
        id, business_id: businessId, payment_id: payment.id, invoice_id: invoice.id, customer_id: customerId,
        amount_minor: step.amountMinor, reverses_allocation_id: null, journal_entry_id: entryId, created_at: now,
      }).execute();
      invoice.balanceMinor -= step.amountMinor;
      applied.push({ id, paymentId: payment.id, invoiceId: invoice.id, amountMinor: step.amountMinor });
    }
  }
  for (const invoiceId of new Set(applied.map((a) => a.invoiceId))) await refreshInvoiceStatus(q, invoiceId, today, now);
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
