/**
 * A payment against a bill, under the bill's row lock: never beyond the amount due, never on a
 * voided or paid bill. Withholding tax is computed on this payment and moved from provision to
 * payable by its own journal entry.
 */
import { localDate, parseDate } from '../../domain/clock.js';
import { AppError, invalid, invalidState } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { applyRateBps, parseCurrency } from '../../domain/money.js';
import { billPaymentEntry, PAYMENT_METHODS, whtTransferEntry, type PaymentMethod } from '../../domain/payables/bill-entries.js';
import { billStatusFor } from '../../domain/payables/bill-math.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction } from '../tx.js';
import { paidOnBill } from './bill-queries.js';
import { lockBill } from './record-bill.js';

export interface BillPaymentInput { amountMinor: number; paymentDate?: string; paymentMethod?: string; whtRateBps?: number; reference?: string | null; notes?: string | null }

export async function payBill(ctx: Ctx, businessId: string, billId: string, input: BillPaymentInput): Promise<string> {
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0) throw invalid('amount', 'must be greater than zero');
  const method = (input.paymentMethod ?? 'bank_transfer') as PaymentMethod;
  if (!PAYMENT_METHODS.includes(method)) throw invalid('paymentMethod', `must be one of ${PAYMENT_METHODS.join(', ')}`);
  const whtRateBps = input.whtRateBps ?? 0;
  if (!Number.isInteger(whtRateBps) || whtRateBps < 0 || whtRateBps > 10_000) throw invalid('whtRate', 'must be between 0 and 100');
  const business = await getBusiness(ctx.store.db, businessId);
  const paymentDate = input.paymentDate ? parseDate(input.paymentDate.slice(0, 10), 'paymentDate') : localDate(ctx.clock.now(), business.timezone);
  return inTransaction(ctx, async (trx) => {
    const bill = await lockBill(trx, ctx, businessId, billId);
    if (bill.status === 'voided' || bill.status === 'paid') throw invalidState(`a ${bill.status} bill cannot take a payment`);
    const paid = await paidOnBill(trx, billId);
    const due = Number(bill.total_minor) - paid;
    if (input.amountMinor > due) throw new AppError('validation_failed', `amount is more than the ${due} minor units due`, { field: 'amount' });
    const currency = parseCurrency(bill.currency);
    const whtMinor = applyRateBps(input.amountMinor, whtRateBps);
    const entryId = await postEntry(trx, ctx, businessId, billPaymentEntry({ number: bill.number, currency, amountMinor: input.amountMinor, whtMinor, method }));
    if (whtMinor > 0) await postEntry(trx, ctx, businessId, whtTransferEntry({ number: bill.number, currency, whtMinor }));
    const id = newId('bpay');
    const now = ctx.clock.now().toISOString();
    await trx.insertInto('bill_payments').values({
      id, business_id: businessId, bill_id: billId, amount_minor: input.amountMinor, wht_rate_bps: whtRateBps, wht_minor: whtMinor, payment_date: paymentDate,
      payment_method: method, reference: input.reference ?? null, notes: input.notes ?? null, journal_entry_id: entryId, created_at: now,
    }).execute();
    await trx.updateTable('bills').set({ status: billStatusFor(Number(bill.total_minor), paid + input.amountMinor), updated_at: now }).where('id', '=', billId).execute();
    await recordAudit(trx, ctx, { businessId, action: 'bill.paid', entityType: 'bill', entityId: billId, data: { amount_minor: input.amountMinor, wht_minor: whtMinor } });
    return id;
  });
}
