/** After money moves on an invoice, its status follows from its derived balance and the date. */
import { assert } from '../../domain/errors.js';
import { statusFor, type InvoiceStatus } from '../../domain/invoices/status.js';
import type { Q } from '../tx.js';
import { allocatedMinor } from './invoice-queries.js';
import { cancelReminders } from './invoice-messages.js';

export async function refreshInvoiceStatus(q: Q, invoiceId: string, today: string, now: string): Promise<InvoiceStatus> {
  const invoice = await q.selectFrom('invoices').select(['business_id', 'status', 'total_minor', 'due_date', 'paid_at']).where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const allocated = await allocatedMinor(q, invoiceId);
  const total = Number(invoice.total_minor);
  assert(allocated >= 0 && allocated <= total, `invoice ${invoiceId} allocated ${allocated} of ${total}`);
  const status = statusFor(total, allocated, invoice.due_date, today);
  if (status !== invoice.status) {
    await q.updateTable('invoices')
      .set({ status, paid_at: status === 'paid' ? now : null, updated_at: now })
      .where('id', '=', invoiceId).execute();
    if (status === 'paid') await cancelReminders(q, new Date(now), invoice.business_id, invoiceId);
  }
  return status;
}
