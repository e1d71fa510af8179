/**
 * Cancels an invoice while nothing is paid on it (seed 000: otherwise 409). An issued invoice's
 * receivable is reversed by a mirror entry; a draft never posted anything.
 */
import { invalid } from '../../domain/errors.js';
import { assertCanCancel, type InvoiceStatus } from '../../domain/invoices/status.js';
import { invoiceIssuedEntry } from '../../domain/ledger/entries.js';
import { reversalOf } from '../../domain/ledger/journal.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction } from '../tx.js';
import { allocatedMinor, findInvoice, lockCustomer, lockInvoice } from './invoice-queries.js';
import { cancelReminders, queueInvoiceNotice } from './invoice-messages.js';
import { requestMomoCancels } from '../momo/cancel-momo.js';

export const CANCEL_REASON_MAX = 500;

export async function cancelInvoice(ctx: Ctx, businessId: string, invoiceId: string, reason = 'cancelled'): Promise<void> {
  if (reason.length > CANCEL_REASON_MAX) throw invalid('reason', `must be at most ${CANCEL_REASON_MAX} characters`);
  await inTransaction(ctx, async (trx) => {
    // Lock order everywhere: customer, then invoice (payments do the same), so no two writers deadlock.
    const found = await findInvoice(trx, businessId, invoiceId);
    await lockCustomer(trx, ctx.store.engine, businessId, found.customer_id);
    const invoice = await lockInvoice(trx, ctx.store.engine, businessId, invoiceId);
    const allocated = await allocatedMinor(trx, invoice.id);
    assertCanCancel(invoice.status as InvoiceStatus, allocated);
    if (invoice.status !== 'draft') {
      const issued = await trx.selectFrom('journal_entries').select('id')
        .where('business_id', '=', businessId).where('invoice_id', '=', invoice.id).where('kind', '=', 'invoice_issued').executeTakeFirstOrThrow();
      const original = invoiceIssuedEntry({
        id: invoice.id, number: invoice.number, customerId: invoice.customer_id, currency: parseCurrency(invoice.currency),
        subtotalMinor: Number(invoice.subtotal_minor), taxMinor: Number(invoice.tax_minor), totalMinor: Number(invoice.total_minor),
      });
      await postEntry(trx, ctx, businessId, reversalOf(original, 'invoice_cancelled', `Invoice ${invoice.number} cancelled: ${reason}`, issued.id));
    }
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('invoices').set({ status: 'cancelled', cancelled_at: now, cancel_reason: reason, updated_at: now }).where('id', '=', invoice.id).execute();
    await cancelReminders(trx, ctx.clock.now(), businessId, invoice.id);
    await requestMomoCancels(trx, ctx.clock.now(), businessId, [invoice.id]);
    if (invoice.status !== 'draft') await queueInvoiceNotice(trx, ctx.clock.now(), invoice.id, 'cancellation');
    await recordAudit(trx, ctx, { businessId, action: 'invoice.cancelled', entityType: 'invoice', entityId: invoice.id, data: { reason, previous_status: invoice.status } });
  });
}
