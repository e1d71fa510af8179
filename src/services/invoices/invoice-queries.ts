/** Reads shared by the invoice use-cases. Balance is always derived: total − allocations. */
import { notFound } from '../../domain/errors.js';
import type { Engine } from '../../storage/database.js';
import type { InvoiceRow } from '../../storage/schema.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import { forUpdate, type Q } from '../tx.js';

export async function allocatedMinor(q: Q, invoiceId: string): Promise<number> {
  const row = await q.selectFrom('allocations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('total'))
    .where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
  return Number(row.total);
}

/** What is still owed on an invoice: its total less what is allocated to it. */
export async function balanceOf(q: Q, invoice: Pick<InvoiceRow, 'id' | 'total_minor'>): Promise<number> {
  return Number(invoice.total_minor) - (await allocatedMinor(q, invoice.id));
}

export async function findInvoice(q: Q, businessId: string, invoiceId: string): Promise<InvoiceRow> {
  const row = await q.selectFrom('invoices').selectAll()
    .where('business_id', '=', businessId).where('id', '=', invoiceId).executeTakeFirst();
  if (!row) throw notFound('invoice');
  return row;
}

export async function lockInvoice(q: Q, engine: Engine, businessId: string, invoiceId: string): Promise<InvoiceRow> {
  const row = await forUpdate(engine, q.selectFrom('invoices').selectAll()
    .where('business_id', '=', businessId).where('id', '=', invoiceId)).executeTakeFirst();
  if (!row) throw notFound('invoice');
  return row;
}

/**
 * Every change to a customer's money (allocate, unallocate, refund, cancel) first locks the
 * customer row, so two of them never interleave on PostgreSQL. SQLite's BEGIN IMMEDIATE already
 * serialises writers.
 */
export async function lockCustomer(q: Q, engine: Engine, businessId: string, customerId: string): Promise<void> {
  if (engine === 'sqlite') return;
  const row = await customerForUpdate.first(q, { businessId, customerId });
  if (!row) throw notFound('customer');
}

// Only ever run on PostgreSQL (see above), so the row lock is written out unconditionally.
const customerForUpdate = preparedQuery((db, args: { businessId: string; customerId: string }) => db.selectFrom('customers').select('id')
  .where('business_id', '=', args.businessId).where('id', '=', args.customerId).forNoKeyUpdate());
