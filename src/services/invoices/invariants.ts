/** Checks on read of what was asserted on write: an invoice's totals are the sum of its lines. */
import { assert } from '../../domain/errors.js';
import { sumMinor } from '../../domain/money.js';
import type { InvoiceRow } from '../../storage/schema.js';

export function assertInvoiceInvariants(invoice: InvoiceRow, items: ReadonlyArray<{ subtotalMinor: number; taxMinor: number; totalMinor: number }>): void {
  assert(Number(invoice.subtotal_minor) === sumMinor(items.map((i) => i.subtotalMinor)), `invoice ${invoice.id} subtotal differs from its lines`);
  assert(Number(invoice.tax_minor) === sumMinor(items.map((i) => i.taxMinor)), `invoice ${invoice.id} tax differs from its lines`);
  assert(Number(invoice.total_minor) === Number(invoice.subtotal_minor) + Number(invoice.tax_minor), `invoice ${invoice.id} total is not subtotal + tax`);
}
