/** A payment receipt: who paid what, by which rail and reference, and which invoices it settled. */
import { notFound } from '../domain/errors.js';
import { formatMoney, parseCurrency } from '../domain/money.js';
import { paymentRemainderMinor } from '../services/payments/payment-queries.js';
import type { Q } from '../services/tx.js';

export interface ReceiptView {
  businessName: string;
  reference: string;
  rail: string;
  receivedAt: string;
  payerName: string | null;
  payerPhone: string | null;
  accountRef: string | null;
  amount: string;
  applied: Array<{ invoiceNumber: string; invoiceName: string; amount: string; balanceAfter: string }>;
  unapplied: string;
}

const RAIL_NAMES: Record<string, string> = { mpesa_c2b: 'M-PESA Paybill', mpesa_stk: 'M-PESA', billmanager: 'M-PESA', momo: 'MTN MoMo', pesapal: 'Card (Pesapal)', cod: 'Cash on delivery', cash: 'Cash', bank_transfer: 'Bank transfer' };

export async function receiptView(q: Q, businessId: string, paymentId: string): Promise<ReceiptView> {
  const payment = await q.selectFrom('payments').selectAll().where('business_id', '=', businessId).where('id', '=', paymentId).executeTakeFirst();
  if (!payment) throw notFound('payment');
  const currency = parseCurrency(payment.currency);
  const business = await q.selectFrom('businesses').select('name').where('id', '=', businessId).executeTakeFirstOrThrow();
  const allocations = await q.selectFrom('allocations').innerJoin('invoices', 'invoices.id', 'allocations.invoice_id')
    .select((eb) => ['invoices.number', 'invoices.name', 'invoices.total_minor', eb.fn.sum<number>('allocations.amount_minor').as('applied'),
      eb.selectFrom('allocations as all_a').select((e) => e.fn.coalesce(e.fn.sum<number>('all_a.amount_minor'), e.lit(0)).as('s')).whereRef('all_a.invoice_id', '=', 'invoices.id').as('allocated')])
    .where('allocations.payment_id', '=', payment.id).groupBy(['invoices.id', 'invoices.number', 'invoices.name', 'invoices.total_minor']).execute();
  return {
    businessName: business.name, reference: payment.provider_ref, rail: RAIL_NAMES[payment.rail] ?? payment.rail, receivedAt: payment.received_at,
    payerName: payment.payer_name, payerPhone: payment.payer_phone, accountRef: payment.account_ref_raw, amount: formatMoney(Number(payment.amount_minor), currency),
    applied: allocations.filter((a) => Number(a.applied) > 0).map((a) => ({ invoiceNumber: a.number, invoiceName: a.name, amount: formatMoney(Number(a.applied), currency),
      balanceAfter: formatMoney(Number(a.total_minor) - Number(a.allocated ?? 0), currency) })),
    unapplied: formatMoney(await paymentRemainderMinor(q, payment.id, Number(payment.amount_minor)), currency),
  };
}
