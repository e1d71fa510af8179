/**
 * How a customer's unapplied money is spread over their open invoices: the invoice the payment
 * named first, then the oldest due date first. What is left stays as customer credit.
 */
import { assert } from '../errors.js';

export interface OpenInvoice {
  id: string;
  dueDate: string;
  createdAt: string;
  balanceMinor: number;
}

export interface PlannedAllocation {
  invoiceId: string;
  amountMinor: number;
}

export function planAllocations(availableMinor: number, invoices: ReadonlyArray<OpenInvoice>, targetInvoiceId?: string | null): PlannedAllocation[] {
  assert(availableMinor >= 0, 'available amount is never negative');
  const ordered = [...invoices].sort((a, b) => {
    if (a.id === targetInvoiceId) return -1;
    if (b.id === targetInvoiceId) return 1;
    return a.dueDate.localeCompare(b.dueDate) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
  });
  const plan: PlannedAllocation[] = [];
  let left = availableMinor;
  for (const invoice of ordered) {
    if (left === 0) break;
    if (invoice.balanceMinor <= 0) continue;
    const amountMinor = Math.min(left, invoice.balanceMinor);
    plan.push({ invoiceId: invoice.id, amountMinor });
    left -= amountMinor;
  }
  return plan;
}
