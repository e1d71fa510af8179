/** After money moves on an invoice, its status follows from its derived balance and the date. */
import { assert } from '../../domain/errors.js';
import { statusFor, type InvoiceStatus } from '../../domain/invoices/status.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import type { Q } from '../tx.js';
import { allocatedMinor } from './invoice-queries.js';
import { cancelReminders } from './invoice-messages.js';

export async function refreshInvoiceStatus(q: Q, invoiceId: string, today: string, now: string): Promise<InvoiceStatus> {
  const invoice = await q.selectFrom('invoices').select(['business_id', 'status', 'total_minor', 'due_date']).where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const allocated = await allocatedMinor(q, invoiceId);
  return applyInvoiceStatus(q, { id: invoiceId, businessId: invoice.business_id, status: invoice.status, totalMinor: Number(invoice.total_minor), dueDate: invoice.due_date }, allocated, today, now);
}

const setStatus = preparedQuery((db, a: { id: string; status: string; paidAt: string | null; now: string }) =>
  db.updateTable('invoices').set({ status: a.status, paid_at: a.paidAt, updated_at: a.now }).where('id', '=', a.id));

/** The same, for a caller that read the invoice and its allocated total in this transaction already. */
export async function applyInvoiceStatus(q: Q, invoice: { id: string; businessId: string; status: string; totalMinor: number; dueDate: string },
  allocated: number, today: string, now: string): Promise<InvoiceStatus> {
  assert(allocated >= 0 && allocated <= invoice.totalMinor, `invoice ${invoice.id} allocated ${allocated} of ${invoice.totalMinor}`);
  const status = statusFor(invoice.totalMinor, allocated, invoice.dueDate, today);
  if (status !== invoice.status) {
    await setStatus.run(q, { id: invoice.id, status, paidAt: status === 'paid' ? now : null, now });
    if (status === 'paid') await cancelReminders(q, new Date(now), invoice.businessId, invoice.id);
  }
  return status;
}
