/**
 * Bill arithmetic in minor units. Rounding rule: VAT is computed per line on quantity × unit price,
 * half away from zero, and the bill's VAT is the sum of its lines' VAT, so lines + VAT always equal
 * the total. Withholding tax is computed once per payment on the payment's amount, same rule.
 */
import { invalid } from '../errors.js';
import { AMOUNT_MINOR_MAX, applyRateBps, sumMinor } from '../money.js';

export const LINES_MAX = 100;

export interface BillLineInput { description: string; quantity: number; unitPriceMinor: number; accountId: string }
export interface PricedLine extends BillLineInput { subtotalMinor: number; vatMinor: number }

/** Standard VAT by country, the default when a bill names none (seed 004's 7.5 is Nigeria's). */
export const VAT_BPS_BY_COUNTRY: Record<string, number> = { NG: 750, KE: 1600, UG: 1800, TZ: 1800, RW: 1800, GH: 1500, ZM: 1600 };
export const VAT_BPS_DEFAULT = 750;

export function priceBillLines(lines: BillLineInput[], vatRateBps: number): { lines: PricedLine[]; subtotalMinor: number; vatMinor: number; totalMinor: number } {
  if (!Array.isArray(lines) || lines.length < 1 || lines.length > LINES_MAX) throw invalid('lineItems', `must hold 1 to ${LINES_MAX} items`);
  const priced = lines.map((line, i) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 1_000_000) throw invalid(`lineItems[${i}].quantity`, 'must be a whole number from 1 to 1,000,000');
    if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0) throw invalid(`lineItems[${i}].unitPrice`, 'must not be negative');
    const subtotal = BigInt(line.unitPriceMinor) * BigInt(line.quantity);
    if (subtotal > BigInt(AMOUNT_MINOR_MAX)) throw invalid(`lineItems[${i}]`, 'line total is too large');
    const subtotalMinor = Number(subtotal);
    return { ...line, subtotalMinor, vatMinor: applyRateBps(subtotalMinor, vatRateBps) };
  });
  const subtotalMinor = sumMinor(priced.map((l) => l.subtotalMinor));
  const vatMinor = sumMinor(priced.map((l) => l.vatMinor));
  if (subtotalMinor + vatMinor <= 0) throw invalid('lineItems', 'the bill total must be greater than zero');
  return { lines: priced, subtotalMinor, vatMinor, totalMinor: subtotalMinor + vatMinor };
}

export type BillStatus = 'unpaid' | 'partial' | 'paid' | 'voided';

export function billStatusFor(totalMinor: number, paidMinor: number): BillStatus {
  if (paidMinor >= totalMinor) return 'paid';
  return paidMinor > 0 ? 'partial' : 'unpaid';
}

/** Overdue is derived: an unpaid or partly paid bill past its due date in the business's zone. */
export function displayStatus(status: string, dueDate: string, today: string): string {
  return (status === 'unpaid' || status === 'partial') && dueDate < today ? 'overdue' : status;
}
