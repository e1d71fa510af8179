/**
 * Invoice arithmetic, in minor units. Tax rule (stated once, used everywhere): tax is computed per
 * line on quantity × unit price, at the line's rate in basis points, rounded half away from zero;
 * the invoice's tax is the sum of its lines' tax. Prices are tax-exclusive.
 */
import { invalid } from '../errors.js';
import { AMOUNT_MINOR_MAX, applyRateBps, assertMinor, sumMinor } from '../money.js';

export interface ItemInput {
  name: string;
  quantity: number;
  unitPriceMinor: number;
  taxRateBps: number;
}

export interface PricedItem extends ItemInput {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface InvoiceTotals {
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export const ITEMS_MAX = 100;
export const QUANTITY_MAX = 1_000_000;

export function priceItem(item: ItemInput, index = 0): PricedItem {
  const field = `items[${index}]`;
  if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > QUANTITY_MAX) {
    throw invalid(`${field}.quantity`, `must be a whole number from 1 to ${QUANTITY_MAX}`);
  }
  assertMinor(item.unitPriceMinor, 'unit price');
  if (item.unitPriceMinor < 0) throw invalid(`${field}.unit_price`, 'must not be negative');
  const subtotal = BigInt(item.unitPriceMinor) * BigInt(item.quantity);
  if (subtotal > BigInt(AMOUNT_MINOR_MAX)) throw invalid(`${field}`, 'line total is too large');
  const subtotalMinor = Number(subtotal);
  const taxMinor = applyRateBps(subtotalMinor, item.taxRateBps);
  return { ...item, subtotalMinor, taxMinor, totalMinor: subtotalMinor + taxMinor };
}

export function totalsOf(items: ReadonlyArray<PricedItem>): InvoiceTotals {
  const subtotalMinor = sumMinor(items.map((i) => i.subtotalMinor));
  const taxMinor = sumMinor(items.map((i) => i.taxMinor));
  const totalMinor = subtotalMinor + taxMinor;
  if (totalMinor > AMOUNT_MINOR_MAX) throw invalid('items', 'invoice total is too large');
  return { subtotalMinor, taxMinor, totalMinor };
}
