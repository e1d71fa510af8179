/** Returns unapplied money (credit or suspense) to the payer. Applied money must be unapplied first. */
import { AppError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { refundEntry } from '../../domain/ledger/entries.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { lockCustomer } from '../invoices/invoice-queries.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction } from '../tx.js';
import { lockPayment, paymentRemainderMinor } from './payment-queries.js';

export async function refundPayment(ctx: Ctx, businessId: string, paymentId: string, amountMinor: number, reason: string): Promise<string> {
  if (!reason?.trim()) throw invalid('reason', 'must not be empty');
  if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw invalid('amount', 'must be a positive amount');
  return inTransaction(ctx, async (trx) => {
    const payment = await lockPayment(trx, ctx.store.engine, businessId, paymentId);
    if (payment.customer_id) await lockCustomer(trx, ctx.store.engine, businessId, payment.customer_id);
    const remainder = await paymentRemainderMinor(trx, payment.id, Number(payment.amount_minor));
    if (amountMinor > remainder) {
      throw new AppError('over_allocation', `only ${remainder} minor units of this payment are unapplied; unapply it from invoices first`, { field: 'amount' });
    }
    const entryId = await postEntry(trx, ctx, businessId, refundEntry({
      paymentId: payment.id, rail: payment.rail, providerRef: payment.provider_ref, currency: parseCurrency(payment.currency),
      amountMinor, customerId: payment.customer_id, reason: reason.trim(),
    }));
    const id = newId('ref');
    await trx.insertInto('refunds').values({ id, business_id: businessId, payment_id: payment.id, amount_minor: amountMinor, reason: reason.trim(), journal_entry_id: entryId, created_at: ctx.clock.now().toISOString() }).execute();
    await recordAudit(trx, ctx, { businessId, action: 'payment.refunded', entityType: 'payment', entityId: payment.id, data: { amount_minor: amountMinor, reason } });
    return id;
  });
}
