/** Issues a draft: the receivable is posted and any credit the customer holds is applied. */
import { localDate } from '../../domain/clock.js';
import { assertCanIssue, type InvoiceStatus } from '../../domain/invoices/status.js';
import { invoiceIssuedEntry } from '../../domain/ledger/entries.js';
import { parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { postEntry } from '../ledger/post-entry.js';
import { applyCustomerCredit } from '../payments/apply-credit.js';
import { inTransaction, type Tx } from '../tx.js';
import type { CustomerRow, InvoiceRow } from '../../storage/schema.js';
import { findInvoice, lockCustomer, lockInvoice } from './invoice-queries.js';
import { refreshInvoiceStatus } from './refresh-status.js';

export interface IssueOptions {
  /** Runs in the same transaction once the invoice is issued: queue its messages here. */
  afterWrite?: (trx: Tx, invoice: InvoiceRow, customer: CustomerRow) => Promise<void>;
}

export async function issueInvoice(ctx: Ctx, businessId: string, invoiceId: string, opts: IssueOptions = {}): Promise<InvoiceStatus> {
  const business = await getBusiness(ctx.store.db, businessId);
  return inTransaction(ctx, async (trx) => {
    // Lock order everywhere: customer, then invoice.
    const found = await findInvoice(trx, businessId, invoiceId);
    await lockCustomer(trx, ctx.store.engine, businessId, found.customer_id);
    const invoice = await lockInvoice(trx, ctx.store.engine, businessId, invoiceId);
    assertCanIssue(invoice.status as InvoiceStatus);
    const now = ctx.clock.now();
    const today = localDate(now, business.timezone);
    await postEntry(trx, ctx, businessId, invoiceIssuedEntry({
      id: invoice.id, number: invoice.number, customerId: invoice.customer_id, currency: parseCurrency(invoice.currency),
      subtotalMinor: Number(invoice.subtotal_minor), taxMinor: Number(invoice.tax_minor), totalMinor: Number(invoice.total_minor),
    }));
    await trx.updateTable('invoices').set({ status: 'open', issued_at: now.toISOString(), updated_at: now.toISOString() }).where('id', '=', invoice.id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'invoice.issued', entityType: 'invoice', entityId: invoice.id, data: { number: invoice.number } });
    await applyCustomerCredit(trx, ctx, businessId, invoice.customer_id, today);
    const status = await refreshInvoiceStatus(trx, invoice.id, today, now.toISOString());
    if (opts.afterWrite) {
      const issued = await trx.selectFrom('invoices').selectAll().where('id', '=', invoice.id).executeTakeFirstOrThrow();
      const customer = await trx.selectFrom('customers').selectAll().where('id', '=', invoice.customer_id).executeTakeFirstOrThrow();
      await opts.afterWrite(trx, issued, customer);
    }
    return status;
  });
}
