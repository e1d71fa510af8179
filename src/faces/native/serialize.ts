/** How invoices and payments look on the native wire: minor-unit integers plus major-unit strings. */
import { formatMajor, formatRateBps, parseCurrency } from '../../domain/money.js';
import type { InvoiceDetail } from '../../services/invoices/get-invoice.js';
import type { PaymentRow } from '../../storage/schema.js';

export function invoiceJson(d: InvoiceDetail) {
  const c = d.currency;
  const i = d.invoice;
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    currency: c,
    name: i.name,
    customer: { id: d.customer.id, account_reference: d.customer.accountRef, name: d.customer.name, phone: d.customer.phone, email: d.customer.email },
    issue_date: i.issue_date,
    due_date: i.due_date,
    billed_period: i.billed_period,
    notes: i.notes,
    external_reference: i.external_ref,
    items: d.items.map((item) => ({
      id: item.id, name: item.name, sku: item.sku, quantity: item.quantity,
      unit_price: formatMajor(item.unitPriceMinor, c), unit_price_minor: item.unitPriceMinor,
      tax_rate: formatRateBps(item.taxRateBps), tax_minor: item.taxMinor, total_minor: item.totalMinor, total: formatMajor(item.totalMinor, c),
    })),
    subtotal_minor: Number(i.subtotal_minor), tax_minor: Number(i.tax_minor), total_minor: Number(i.total_minor),
    subtotal: formatMajor(Number(i.subtotal_minor), c), tax: formatMajor(Number(i.tax_minor), c), total: formatMajor(Number(i.total_minor), c),
    payment_summary: {
      paid_minor: d.paidMinor, paid: formatMajor(d.paidMinor, c),
      balance_minor: d.balanceMinor, balance: formatMajor(d.balanceMinor, c),
      allocations: d.allocations.map((a) => ({ id: a.id, payment_id: a.paymentId, rail: a.rail, reference: a.providerRef, amount_minor: a.amountMinor, created_at: a.createdAt })),
    },
    issued_at: i.issued_at, paid_at: i.paid_at, cancelled_at: i.cancelled_at, created_at: i.created_at, updated_at: i.updated_at,
  };
}

export function paymentJson(p: PaymentRow) {
  const c = parseCurrency(p.currency);
  return {
    id: p.id, rail: p.rail, reference: p.provider_ref, currency: c,
    amount_minor: Number(p.amount_minor), amount: formatMajor(Number(p.amount_minor), c),
    customer_id: p.customer_id, invoice_id: p.target_invoice_id, payer_phone: p.payer_phone, payer_name: p.payer_name,
    account_reference: p.account_ref_raw, received_at: p.received_at, matched: p.customer_id !== null,
  };
}
