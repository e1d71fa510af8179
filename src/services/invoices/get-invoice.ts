/** An invoice as people and APIs see it: items, derived balance, the payments applied to it. */
import { parseCurrency, type Currency } from '../../domain/money.js';
import type { InvoiceRow } from '../../storage/schema.js';
import type { Q } from '../tx.js';
import { findInvoice } from './invoice-queries.js';

export interface InvoiceDetail {
  invoice: InvoiceRow;
  currency: Currency;
  customer: { id: string; accountRef: string; name: string; phone: string | null; email: string | null };
  items: Array<{ id: string; name: string; sku: string | null; quantity: number; unitPriceMinor: number; taxRateBps: number; subtotalMinor: number; taxMinor: number; totalMinor: number }>;
  allocations: Array<{ id: string; paymentId: string; amountMinor: number; createdAt: string; rail: string; providerRef: string }>;
  paidMinor: number;
  balanceMinor: number;
}

export async function getInvoiceDetail(q: Q, businessId: string, invoiceId: string): Promise<InvoiceDetail> {
  const invoice = await findInvoice(q, businessId, invoiceId);
  const customer = await q.selectFrom('customers').selectAll().where('id', '=', invoice.customer_id).executeTakeFirstOrThrow();
  const items = await q.selectFrom('invoice_items').selectAll().where('invoice_id', '=', invoice.id).where('removed_at', 'is', null).orderBy('position').execute();
  const allocations = await q.selectFrom('allocations').innerJoin('payments', 'payments.id', 'allocations.payment_id')
    .select(['allocations.id', 'allocations.payment_id', 'allocations.amount_minor', 'allocations.created_at', 'payments.rail', 'payments.provider_ref'])
    .where('allocations.invoice_id', '=', invoice.id).orderBy('allocations.id').execute();
  const paidMinor = allocations.reduce((sum, a) => sum + Number(a.amount_minor), 0);
  return {
    invoice,
    currency: parseCurrency(invoice.currency),
    customer: { id: customer.id, accountRef: customer.account_ref, name: customer.name, phone: customer.phone, email: customer.email },
    items: items.map((i) => ({ id: i.id, name: i.name, sku: i.sku, quantity: i.quantity, unitPriceMinor: Number(i.unit_price_minor), taxRateBps: i.tax_rate_bps,
      subtotalMinor: Number(i.subtotal_minor), taxMinor: Number(i.tax_minor), totalMinor: Number(i.total_minor) })),
    allocations: allocations.map((a) => ({ id: a.id, paymentId: a.payment_id, amountMinor: Number(a.amount_minor), createdAt: a.created_at, rail: a.rail, providerRef: a.provider_ref })),
    paidMinor,
    balanceMinor: Number(invoice.total_minor) - paidMinor,
  };
}
