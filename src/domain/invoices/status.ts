/**
 * The invoice state machine. Services lock the invoice row, then ask these functions again before
 * acting, so a concurrent payment can't slip between the check and the change.
 *
 *   draft ──issue──▶ open ──pay part──▶ partially_paid ──pay rest──▶ paid
 *     │               │  ╲                 │
 *     │               │   ╲ due date passes╲──▶ overdue ──pay rest──▶ paid
 *     └──cancel──▶ cancelled ◀──cancel (nothing paid)──┘
 */
import { invalidState } from '../errors.js';

export const INVOICE_STATUSES = ['draft', 'open', 'partially_paid', 'overdue', 'paid', 'cancelled'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Statuses that still expect money. */
export const COLLECTIBLE: ReadonlySet<InvoiceStatus> = new Set(['open', 'partially_paid', 'overdue']);

export function isInvoiceStatus(value: string): value is InvoiceStatus {
  return (INVOICE_STATUSES as readonly string[]).includes(value);
}

export function assertCanIssue(status: InvoiceStatus): void {
  if (status !== 'draft') throw invalidState(`only a draft invoice can be issued (this one is ${status})`);
}

/** Seed 000: "A partially paid or fully paid invoice cannot be canceled." */
export function assertCanCancel(status: InvoiceStatus, allocatedMinor: number): void {
  if (status === 'cancelled') throw invalidState('invoice is already cancelled');
  if (status === 'paid' || status === 'partially_paid' || allocatedMinor > 0) {
    throw invalidState('partially or fully paid invoices cannot be cancelled');
  }
}

export function assertCanAllocate(status: InvoiceStatus): void {
  if (!COLLECTIBLE.has(status)) throw invalidState(`an invoice that is ${status} cannot take a payment`);
}

export function assertCanEdit(status: InvoiceStatus, allocatedMinor: number): void {
  if (status === 'cancelled' || status === 'paid' || allocatedMinor > 0) {
    throw invalidState(`an invoice that is ${status}${allocatedMinor > 0 ? ' with payments' : ''} cannot be edited`);
  }
}

/** The status an issued invoice has, given what has been allocated to it and today's date. */
export function statusFor(totalMinor: number, allocatedMinor: number, dueDate: string, today: string): InvoiceStatus {
  if (allocatedMinor >= totalMinor) return 'paid';
  if (today > dueDate) return 'overdue';
  return allocatedMinor > 0 ? 'partially_paid' : 'open';
}
