/**
 * Which accounts each money movement touches. The receivables side in short:
 *   issue:      Dr receivable (customer)     Cr sales, Cr VAT output
 *   receive:    Dr rail clearing             Cr customer credit (known payer) or suspense (unknown)
 *   match:      Dr suspense                  Cr customer credit
 *   transfer:   Dr customer credit (payer)   Cr customer credit (another account it pays for)
 *   allocate:   Dr customer credit           Cr receivable (customer)
 *   unallocate: Dr receivable (customer)     Cr the payment's home: payer's credit, or suspense
 *   refund:     Dr customer credit/suspense  Cr rail clearing
 *   cancel:     the issue entry, reversed
 * So at any time: allocations + customer credit + suspense = payments received − refunds.
 */
import { CLEARING_ACCOUNT_BY_RAIL, type SystemAccountKey } from './chart.js';
import { buildEntry, credit, debit, type EntryDraft } from './journal.js';
import type { Currency } from '../money.js';
import { assert } from '../errors.js';

export function clearingAccountFor(rail: string): SystemAccountKey {
  const account = CLEARING_ACCOUNT_BY_RAIL[rail];
  assert(account, `unknown rail ${rail}`);
  return account;
}

export function invoiceIssuedEntry(i: { id: string; number: string; customerId: string; currency: Currency; subtotalMinor: number; taxMinor: number; totalMinor: number }): EntryDraft {
  return buildEntry({
    kind: 'invoice_issued', currency: i.currency, memo: `Invoice ${i.number} issued`, invoiceId: i.id,
    lines: [debit('accounts_receivable', i.totalMinor, i.customerId), credit('sales', i.subtotalMinor), credit('vat_output', i.taxMinor)],
  });
}

export function paymentReceivedEntry(p: { id: string; rail: string; providerRef: string; currency: Currency; amountMinor: number; customerId: string | null }): EntryDraft {
  const unapplied = p.customerId ? credit('customer_credit', p.amountMinor, p.customerId) : credit('suspense', p.amountMinor);
  return buildEntry({
    kind: 'payment_received', currency: p.currency, memo: `Payment ${p.providerRef} received (${p.rail})${p.customerId ? '' : ', unmatched'}`,
    paymentId: p.id, lines: [debit(clearingAccountFor(p.rail), p.amountMinor), unapplied],
  });
}

export function suspenseAssignedEntry(p: { id: string; providerRef: string; currency: Currency; amountMinor: number; customerId: string }): EntryDraft {
  return buildEntry({
    kind: 'suspense_assigned', currency: p.currency, memo: `Payment ${p.providerRef} matched by hand`, paymentId: p.id,
    lines: [debit('suspense', p.amountMinor), credit('customer_credit', p.amountMinor, p.customerId)],
  });
}

export function allocationEntry(a: { paymentId: string; invoiceId: string; invoiceNumber: string; customerId: string; currency: Currency; amountMinor: number }): EntryDraft {
  return buildEntry({
    kind: 'allocation', currency: a.currency, memo: `Payment applied to invoice ${a.invoiceNumber}`, paymentId: a.paymentId, invoiceId: a.invoiceId,
    lines: [debit('customer_credit', a.amountMinor, a.customerId), credit('accounts_receivable', a.amountMinor, a.customerId)],
  });
}

/**
 * Unapplied money always goes back to the payment's home: the payer's credit, or suspense for a
 * payment nobody was matched to (a person split it by hand over other accounts' invoices).
 */
export function allocationReversedEntry(a: { paymentId: string; invoiceId: string; invoiceNumber: string; customerId: string; paymentCustomerId: string | null; currency: Currency; amountMinor: number; reason: string }): EntryDraft {
  const home = a.paymentCustomerId ? credit('customer_credit', a.amountMinor, a.paymentCustomerId) : credit('suspense', a.amountMinor);
  return buildEntry({
    kind: 'allocation_reversed', currency: a.currency, memo: `Payment unapplied from invoice ${a.invoiceNumber}: ${a.reason}`, paymentId: a.paymentId, invoiceId: a.invoiceId,
    lines: [debit('accounts_receivable', a.amountMinor, a.customerId), home],
  });
}

export function refundEntry(r: { paymentId: string; rail: string; providerRef: string; currency: Currency; amountMinor: number; customerId: string | null; reason: string }): EntryDraft {
  const from = r.customerId ? debit('customer_credit', r.amountMinor, r.customerId) : debit('suspense', r.amountMinor);
  return buildEntry({
    kind: 'credit_refunded', currency: r.currency, memo: `Refund of payment ${r.providerRef}: ${r.reason}`, paymentId: r.paymentId,
    lines: [from, credit(clearingAccountFor(r.rail), r.amountMinor)],
  });
}

export function creditTransferEntry(t: { paymentId: string; providerRef: string; currency: Currency; amountMinor: number; fromCustomerId: string; toCustomerId: string }): EntryDraft {
  return buildEntry({
    kind: 'credit_transferred', currency: t.currency, memo: `Part of payment ${t.providerRef} moved to another account by hand`, paymentId: t.paymentId,
    lines: [debit('customer_credit', t.amountMinor, t.fromCustomerId), credit('customer_credit', t.amountMinor, t.toCustomerId)],
  });
}

/** An item added to (or, reversed, removed from) an issued invoice changes what the customer owes. */
export function invoiceAdjustedEntry(a: { invoiceId: string; number: string; customerId: string; currency: Currency; subtotalMinor: number; taxMinor: number; added: boolean; what: string }): EntryDraft {
  const total = a.subtotalMinor + a.taxMinor;
  const lines = a.added
    ? [debit('accounts_receivable', total, a.customerId), credit('sales', a.subtotalMinor), credit('vat_output', a.taxMinor)]
    : [debit('sales', a.subtotalMinor), debit('vat_output', a.taxMinor), credit('accounts_receivable', total, a.customerId)];
  return buildEntry({ kind: 'invoice_adjusted', currency: a.currency, memo: `Invoice ${a.number}: ${a.what}`, invoiceId: a.invoiceId, lines });
}
