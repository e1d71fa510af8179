/**
 * The payables side of the journal:
 *   bill:     Dr expense (per line), Dr VAT input      Cr accounts payable
 *   payment:  Dr accounts payable                      Cr cash/bank/… (net), Cr WHT provision (withheld)
 *   WHT:      Dr WHT provision (2022)                  Cr WHT payable (2027)     — its own entry, as seed 004 says
 *   void:     the bill entry, reversed
 */
import type { SystemAccountKey } from '../ledger/chart.js';
import { buildEntry, credit, debit, type EntryDraft } from '../ledger/journal.js';
import type { Currency } from '../money.js';
import type { PricedLine } from './bill-math.js';

export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'card', 'mobile_money', 'cheque'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

const PAID_FROM: Record<PaymentMethod, SystemAccountKey> = { cash: 'cash', bank_transfer: 'bank', card: 'bank', mobile_money: 'mpesa_clearing', cheque: 'bank' };

export function billPostedEntry(b: { id: string; number: string; currency: Currency; lines: PricedLine[]; vatMinor: number; totalMinor: number }): EntryDraft {
  return buildEntry({
    kind: 'bill_posted', currency: b.currency, memo: `Bill ${b.number} recorded`,
    lines: [...b.lines.map((l) => debit({ id: l.accountId }, l.subtotalMinor)), debit('vat_input', b.vatMinor), credit('accounts_payable', b.totalMinor)],
  });
}

export function billPaymentEntry(p: { number: string; currency: Currency; amountMinor: number; whtMinor: number; method: PaymentMethod }): EntryDraft {
  return buildEntry({
    kind: 'bill_paid', currency: p.currency, memo: `Payment of bill ${p.number} (${p.method})`,
    lines: [debit('accounts_payable', p.amountMinor), credit(PAID_FROM[p.method], p.amountMinor - p.whtMinor), credit('wht_provision', p.whtMinor)],
  });
}

export function whtTransferEntry(p: { number: string; currency: Currency; whtMinor: number }): EntryDraft {
  return buildEntry({
    kind: 'wht_transferred', currency: p.currency, memo: `WHT withheld on bill ${p.number} moved to WHT payable`,
    lines: [debit('wht_provision', p.whtMinor), credit('wht_payable', p.whtMinor)],
  });
}
