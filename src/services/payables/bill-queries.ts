/** Reading bills: one with its lines and payments, lists newest first with a cursor, amounts derived. */
import { localDate } from '../../domain/clock.js';
import { notFound } from '../../domain/errors.js';
import { displayStatus } from '../../domain/payables/bill-math.js';
import type { BillsTable } from '../../storage/schema-payables.js';
import type { Q } from '../tx.js';

export interface BillDetail {
  bill: BillsTable;
  lines: Array<{ description: string; quantity: number; unitPriceMinor: number; accountId: string; subtotalMinor: number; vatMinor: number }>;
  paidMinor: number;
  dueMinor: number;
  status: string;
}

export async function paidOnBill(q: Q, billId: string): Promise<number> {
  const row = await q.selectFrom('bill_payments').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('s')).where('bill_id', '=', billId).executeTakeFirstOrThrow();
  return Number(row.s);
}

export async function findBill(q: Q, businessId: string, id: string): Promise<BillsTable> {
  const bill = await q.selectFrom('bills').selectAll().where('business_id', '=', businessId).where('id', '=', id).executeTakeFirst();
  if (!bill) throw notFound('bill');
  return bill;
}

export async function billDetail(q: Q, businessId: string, id: string, timezone: string, now: Date): Promise<BillDetail> {
  const bill = await findBill(q, businessId, id);
  const lines = await q.selectFrom('bill_lines').selectAll().where('bill_id', '=', id).where('superseded_at', 'is', null).orderBy('position').execute();
  const paidMinor = await paidOnBill(q, id);
  return {
    bill, paidMinor, dueMinor: bill.status === 'voided' ? 0 : Number(bill.total_minor) - paidMinor,
    status: displayStatus(bill.status, bill.due_date, localDate(now, timezone)),
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceMinor: Number(l.unit_price_minor), accountId: l.account_id, subtotalMinor: Number(l.subtotal_minor), vatMinor: Number(l.vat_minor) })),
  };
}

export interface BillListFilter { status?: string; supplierId?: string; limit: number; cursor?: string }

/** Newest first (ids are time-ordered), `cursor` = the last id of the previous page. */
export async function listBills(q: Q, businessId: string, filter: BillListFilter, timezone: string, now: Date) {
  const today = localDate(now, timezone);
  let query = q.selectFrom('bills').selectAll().where('business_id', '=', businessId);
  if (filter.supplierId) query = query.where('supplier_id', '=', filter.supplierId);
  if (filter.status === 'overdue') query = query.where('status', 'in', ['unpaid', 'partial']).where('due_date', '<', today);
  else if (filter.status === 'draft') query = query.where('status', '=', 'draft');
  else if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.cursor) query = query.where('id', '<', filter.cursor);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  const paid = new Map<string, number>();
  if (page.length) {
    const sums = await q.selectFrom('bill_payments').select((eb) => ['bill_id', eb.fn.sum<number>('amount_minor').as('s')]).where('bill_id', 'in', page.map((b) => b.id)).groupBy('bill_id').execute();
    for (const s of sums) paid.set(s.bill_id, Number(s.s));
  }
  return {
    bills: page.map((bill) => ({ bill, paidMinor: paid.get(bill.id) ?? 0, dueMinor: bill.status === 'voided' ? 0 : Number(bill.total_minor) - (paid.get(bill.id) ?? 0), status: displayStatus(bill.status, bill.due_date, today) })),
    nextCursor: rows.length > filter.limit ? page.at(-1)!.id : null,
  };
}
