/**
 * Cancel by externalReference on the caller's shortcode. All references are checked before any is
 * cancelled, so a bulk call with one paid invoice cancels nothing and answers the seed's 409.
 * An already-cancelled invoice is an idempotent success.
 */
import type { Ctx } from '../../services/context.js';
import { cancelInvoice } from '../../services/invoices/cancel-invoice.js';
import { allocatedMinor } from '../../services/invoices/invoice-queries.js';
import { BillManagerError, badRequest, fieldsOf, type FieldError } from './wire.js';

export async function cancelByExternalReferences(ctx: Ctx, businessId: string, shortcode: string, items: unknown[], bulk: boolean): Promise<void> {
  const refs: string[] = [];
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    const value = fieldsOf(item)('externalReference');
    const ref = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (!ref) errors.push({ ...(bulk ? { index } : {}), field: 'externalReference', message: 'is required' });
    refs.push(ref);
  });
  if (errors.length) throw badRequest(errors);
  const targets: Array<{ id: string; status: string }> = [];
  const paid: FieldError[] = [];
  const missing: FieldError[] = [];
  for (const [index, ref] of refs.entries()) {
    const invoice = await ctx.store.db.selectFrom('invoices').select(['id', 'status'])
      .where('business_id', '=', businessId).where('shortcode', '=', shortcode).where('external_ref', '=', ref).executeTakeFirst();
    if (!invoice) { missing.push({ ...(bulk ? { index } : {}), field: 'externalReference', message: `no invoice ${ref}` }); continue; }
    if (invoice.status !== 'cancelled' && (invoice.status === 'paid' || invoice.status === 'partially_paid' || (await allocatedMinor(ctx.store.db, invoice.id)) > 0)) {
      paid.push({ ...(bulk ? { index } : {}), field: 'externalReference', message: `invoice ${ref} is partially or fully paid` });
    }
    targets.push(invoice);
  }
  if (paid.length) throw new BillManagerError(409, 'partially or fully paid invoices cannot be cancelled.', paid);
  if (missing.length) throw new BillManagerError(404, `invoice not found: ${missing.map((m) => m.message.replace('no invoice ', '')).join(', ')}`, missing);
  for (const target of targets) {
    if (target.status === 'cancelled') continue;
    await cancelInvoice(ctx, businessId, target.id, 'cancelled through Bill Manager');
  }
}
