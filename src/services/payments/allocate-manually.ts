/**
 * A person applies a payment by hand: to named invoices with amounts (one payment may pay several
 * invoices, even of several accounts, e.g. a parent paying two pupils' fees), or to an account.
 * Money moves out of suspense (or from the payer's credit) to each invoice's customer, then onto
 * the invoice. Amounts beyond the payment's unapplied money or an invoice's balance are refused.
 */
import { localDate } from '../../domain/clock.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { allocationEntry, creditTransferEntry, suspenseAssignedEntry } from '../../domain/ledger/entries.js';
import { assertCanAllocate, type InvoiceStatus } from '../../domain/invoices/status.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { balanceOf, lockCustomer, lockInvoice } from '../invoices/invoice-queries.js';
import { refreshInvoiceStatus } from '../invoices/refresh-status.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction } from '../tx.js';
import type { AppliedAllocation } from './apply-credit.js';
import { lockPayment, paymentRemainderMinor } from './payment-queries.js';

export const PARTS_MAX = 50;

export async function allocateManually(ctx: Ctx, businessId: string, paymentId: string, parts: Array<{ invoiceId: string; amountMinor: number }>): Promise<AppliedAllocation[]> {
  if (parts.length === 0 || parts.length > PARTS_MAX) throw invalid('allocations', `must hold 1 to ${PARTS_MAX} parts`);
  if (new Set(parts.map((p) => p.invoiceId)).size !== parts.length) throw invalid('allocations', 'name each invoice once');
  parts.forEach((p, i) => { if (!Number.isSafeInteger(p.amountMinor) || p.amountMinor <= 0) throw invalid(`allocations[${i}].amount`, 'must be a positive amount'); });
  const business = await getBusiness(ctx.store.db, businessId);
  return inTransaction(ctx, async (trx) => {
    const payment = await lockPayment(trx, ctx.store.engine, businessId, paymentId);
    const currency = parseCurrency(payment.currency);
    const now = ctx.clock.now();
    const invoices = [];
    for (const [i, part] of parts.entries()) {
      const found = await trx.selectFrom('invoices').select(['customer_id']).where('business_id', '=', businessId).where('id', '=', part.invoiceId).executeTakeFirst();
      if (!found) throw notFound(`allocations[${i}].invoice`);
      invoices.push(found.customer_id);
    }
    // Lock every customer involved in a stable order, so two people allocating never deadlock.
    for (const customerId of [...new Set([...invoices, ...(payment.customer_id ? [payment.customer_id] : [])])].sort()) {
      await lockCustomer(trx, ctx.store.engine, businessId, customerId);
    }
    let unapplied = await paymentRemainderMinor(trx, payment.id, Number(payment.amount_minor));
    const total = parts.reduce((sum, p) => sum + p.amountMinor, 0);
    if (total > unapplied) throw new AppError('over_allocation', `the payment has ${unapplied} minor units unapplied; ${total} requested`, { field: 'allocations' });
    const applied: AppliedAllocation[] = [];
    for (const [i, part] of parts.entries()) {
      const invoice = await lockInvoice(trx, ctx.store.engine, businessId, part.invoiceId);
      assertCanAllocate(invoice.status as InvoiceStatus);
      if (invoice.currency !== currency) throw invalid(`allocations[${i}].invoice_id`, `invoice is in ${invoice.currency}, the payment in ${currency}`);
      const balance = await balanceOf(trx, invoice);
      if (part.amountMinor > balance) throw new AppError('over_allocation', `allocations[${i}]: invoice ${invoice.number} has ${balance} minor units outstanding`, { field: `allocations[${i}].amount` });
      const common = { paymentId: payment.id, providerRef: payment.provider_ref, currency, amountMinor: part.amountMinor };
      if (!payment.customer_id) {
        await postEntry(trx, ctx, businessId, suspenseAssignedEntry({ ...common, id: payment.id, customerId: invoice.customer_id }));
      } else if (payment.customer_id !== invoice.customer_id) {
        await postEntry(trx, ctx, businessId, creditTransferEntry({ ...common, fromCustomerId: payment.customer_id, toCustomerId: invoice.customer_id }));
      }
      const entryId = await postEntry(trx, ctx, businessId, allocationEntry({ ...common, invoiceId: invoice.id, invoiceNumber: invoice.number, customerId: invoice.customer_id }));
      const id = newId('alloc');
      await trx.insertInto('allocations').values({
        id, business_id: businessId, payment_id: payment.id, invoice_id: invoice.id, customer_id: invoice.customer_id,
        amount_minor: part.amountMinor, reverses_allocation_id: null, journal_entry_id: entryId, created_at: now.toISOString(),
      }).execute();
      await refreshInvoiceStatus(trx, invoice.id, localDate(now, business.timezone), now.toISOString());
      applied.push({ id, paymentId: payment.id, invoiceId: invoice.id, amountMinor: part.amountMinor });
      unapplied -= part.amountMinor;
    }
    if (!payment.customer_id) await trx.updateTable('payments').set({ match_rule: 'manual' }).where('id', '=', payment.id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'payment.allocated_by_hand', entityType: 'payment', entityId: payment.id, data: { parts: applied.map((a) => ({ invoice_id: a.invoiceId, amount_minor: a.amountMinor })), unapplied_minor: unapplied } });
    return applied;
  });
}
