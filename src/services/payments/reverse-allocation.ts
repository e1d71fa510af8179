/** Takes money back off an invoice (a misapplied payment): a reversing allocation, never a delete. */
import { localDate } from '../../domain/clock.js';
import { invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { allocationReversedEntry } from '../../domain/ledger/entries.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { lockCustomer } from '../invoices/invoice-queries.js';
import { refreshInvoiceStatus } from '../invoices/refresh-status.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction, isUniqueViolation } from '../tx.js';
import { lockPayment } from './payment-queries.js';

export async function reverseAllocation(ctx: Ctx, businessId: string, allocationId: string, reason: string): Promise<string> {
  if (!reason?.trim()) throw invalid('reason', 'must not be empty');
  const business = await getBusiness(ctx.store.db, businessId);
  try {
    return await inTransaction(ctx, async (trx) => {
      const original = await trx.selectFrom('allocations').selectAll().where('business_id', '=', businessId).where('id', '=', allocationId).executeTakeFirst();
      if (!original) throw notFound('allocation');
      if (original.reverses_allocation_id || Number(original.amount_minor) <= 0) throw invalidState('a reversal cannot itself be reversed');
      const payment = await lockPayment(trx, ctx.store.engine, businessId, original.payment_id);
      for (const customerId of [...new Set([original.customer_id, ...(payment.customer_id ? [payment.customer_id] : [])])].sort()) {
        await lockCustomer(trx, ctx.store.engine, businessId, customerId);
      }
      const already = await trx.selectFrom('allocations').select('id').where('reverses_allocation_id', '=', original.id).executeTakeFirst();
      if (already) throw invalidState('allocation is already reversed');
      const invoice = await trx.selectFrom('invoices').select(['number', 'currency']).where('id', '=', original.invoice_id).executeTakeFirstOrThrow();
      const amountMinor = Number(original.amount_minor);
      const entryId = await postEntry(trx, ctx, businessId, allocationReversedEntry({
        paymentId: original.payment_id, invoiceId: original.invoice_id, invoiceNumber: invoice.number, customerId: original.customer_id, paymentCustomerId: payment.customer_id,
        currency: parseCurrency(invoice.currency), amountMinor, reason: reason.trim(),
      }));
      const now = ctx.clock.now();
      const id = newId('alloc');
      await trx.insertInto('allocations').values({
        id, business_id: businessId, payment_id: original.payment_id, invoice_id: original.invoice_id, customer_id: original.customer_id,
        amount_minor: -amountMinor, reverses_allocation_id: original.id, journal_entry_id: entryId, created_at: now.toISOString(),
      }).execute();
      await refreshInvoiceStatus(trx, original.invoice_id, localDate(now, business.timezone), now.toISOString());
      await recordAudit(trx, ctx, { businessId, action: 'allocation.reversed', entityType: 'invoice', entityId: original.invoice_id, data: { allocation_id: original.id, amount_minor: amountMinor, reason } });
      return id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw invalidState('allocation is already reversed');
    throw error;
  }
}
