/** A person matches an unmatched payment to a customer (or to one invoice); the money then applies. */
import { localDate } from '../../domain/clock.js';
import { invalid, invalidState, notFound } from '../../domain/errors.js';
import { suspenseAssignedEntry } from '../../domain/ledger/entries.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { findInvoice } from '../invoices/invoice-queries.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction } from '../tx.js';
import { applyCustomerCredit, type AppliedAllocation } from './apply-credit.js';
import { lockPayment, paymentRemainderMinor } from './payment-queries.js';

export async function matchSuspensePayment(ctx: Ctx, businessId: string, paymentId: string, to: { customerId?: string; invoiceId?: string }): Promise<AppliedAllocation[]> {
  if (!to.customerId && !to.invoiceId) throw invalid('customer_id', 'give a customer_id or an invoice_id');
  const business = await getBusiness(ctx.store.db, businessId);
  return inTransaction(ctx, async (trx) => {
    const payment = await lockPayment(trx, ctx.store.engine, businessId, paymentId);
    if (payment.customer_id) throw invalidState('payment is already matched to a customer');
    let customerId = to.customerId ?? null;
    let invoiceId: string | null = null;
    if (to.invoiceId) {
      const invoice = await findInvoice(trx, businessId, to.invoiceId);
      if (customerId && customerId !== invoice.customer_id) throw invalid('invoice_id', 'belongs to another customer');
      customerId = invoice.customer_id;
      invoiceId = invoice.id;
    }
    const customer = await trx.selectFrom('customers').select('id').where('business_id', '=', businessId).where('id', '=', customerId!).executeTakeFirst();
    if (!customer) throw notFound('customer');
    const remainder = await paymentRemainderMinor(trx, payment.id, Number(payment.amount_minor));
    const now = ctx.clock.now();
    await trx.updateTable('payments').set({ customer_id: customer.id, target_invoice_id: invoiceId }).where('id', '=', payment.id).execute();
    if (remainder > 0) {
      await postEntry(trx, ctx, businessId, suspenseAssignedEntry({
        id: payment.id, providerRef: payment.provider_ref, currency: parseCurrency(payment.currency), amountMinor: remainder, customerId: customer.id,
      }));
    }
    await recordAudit(trx, ctx, { businessId, action: 'payment.matched', entityType: 'payment', entityId: payment.id, data: { customer_id: customer.id, invoice_id: invoiceId } });
    return applyCustomerCredit(trx, ctx, businessId, customer.id, localDate(now, business.timezone), payment.id);
  });
}
