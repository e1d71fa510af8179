/** The daily job's work: invoices past their due date (in the business's time zone) become overdue. */
import { localDate } from '../../domain/clock.js';
import { getBusiness } from '../businesses/get-business.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { inTransaction } from '../tx.js';
import { queueInvoiceNotice } from './invoice-messages.js';

export const OVERDUE_BATCH_MAX = 1000;

export async function markOverdueInvoices(ctx: Ctx, businessId: string): Promise<string[]> {
  const business = await getBusiness(ctx.store.db, businessId);
  const today = localDate(ctx.clock.now(), business.timezone);
  return inTransaction(ctx, async (trx) => {
    // One guarded UPDATE: a payment that lands meanwhile changes the status and drops out of the WHERE.
    const rows = await trx.updateTable('invoices')
      .set({ status: 'overdue', updated_at: ctx.clock.now().toISOString() })
      .where('business_id', '=', businessId).where('status', 'in', ['open', 'partially_paid']).where('due_date', '<', today)
      .returning('id').execute();
    for (const row of rows.slice(0, OVERDUE_BATCH_MAX)) {
      await recordAudit(trx, ctx, { businessId, action: 'invoice.overdue', entityType: 'invoice', entityId: row.id });
      await queueInvoiceNotice(trx, ctx.clock.now(), row.id, 'overdue');
    }
    return rows.map((r) => r.id);
  });
}
