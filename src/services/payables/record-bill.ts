/**
 * Creating and editing a bill. A bill is posted to the ledger as it is created (accounts payable);
 * editing an unpaid bill reverses its entry and posts the new one, never rewriting the old rows.
 * Numbers are BILL-YYYY-NNN per business and year, advanced by one guarded UPDATE, so concurrent
 * bills never share or skip one.
 */
import { parseDate } from '../../domain/clock.js';
import { AppError, invalid, invalidState } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { reversalOf } from '../../domain/ledger/journal.js';
import { parseCurrency, type Currency } from '../../domain/money.js';
import { billPostedEntry } from '../../domain/payables/bill-entries.js';
import { priceBillLines, VAT_BPS_BY_COUNTRY, VAT_BPS_DEFAULT, type BillLineInput } from '../../domain/payables/bill-math.js';
import type { BillsTable } from '../../storage/schema-payables.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { postEntry } from '../ledger/post-entry.js';
import { forUpdate, inTransaction, insertRows, type Tx } from '../tx.js';
import { findBill, paidOnBill } from './bill-queries.js';

export interface BillInput {
  supplierId: string;
  billDate: string;
  dueDate: string;
  lines: BillLineInput[];
  vatRateBps?: number;
  notes?: string | null;
  reference?: string | null;
  currency?: string;
}

async function prepare(trx: Tx, businessId: string, country: string, businessCurrency: Currency, input: BillInput) {
  const supplier = await trx.selectFrom('suppliers').select(['id', 'active']).where('business_id', '=', businessId).where('id', '=', input.supplierId).executeTakeFirst();
  if (!supplier) throw invalid('supplierId', 'no such supplier');
  if (supplier.active !== 1) throw invalid('supplierId', 'the supplier is not active');
  const billDate = parseDate(input.billDate?.slice(0, 10), 'billDate');
  const dueDate = parseDate(input.dueDate?.slice(0, 10), 'dueDate');
  if (dueDate < billDate) throw invalid('dueDate', 'must not be before billDate');
  if ((input.notes ?? '').length > 4000) throw invalid('notes', 'must be at most 4000 characters');
  if ((input.reference ?? '').length > 100) throw invalid('reference', 'must be at most 100 characters');
  const accountIds = [...new Set(input.lines.map((l) => l.accountId))];
  const known = accountIds.length ? await trx.selectFrom('accounts').select('id').where('business_id', '=', businessId).where('id', 'in', accountIds).execute() : [];
  input.lines.forEach((line, i) => {
    if (!line.description?.trim() || line.description.length > 500) throw invalid(`lineItems[${i}].description`, 'must be 1 to 500 characters');
    if (!known.some((k) => k.id === line.accountId)) throw invalid(`lineItems[${i}].accountId`, 'no such account');
  });
  const vatRateBps = input.vatRateBps ?? VAT_BPS_BY_COUNTRY[country] ?? VAT_BPS_DEFAULT;
  const currency = input.currency ? parseCurrency(input.currency) : businessCurrency;
  return { billDate, dueDate, vatRateBps, currency, priced: priceBillLines(input.lines, vatRateBps) };
}

async function writeLines(trx: Tx, businessId: string, billId: string, priced: ReturnType<typeof priceBillLines>) {
  await insertRows(trx, 'bill_lines', priced.lines.map((l, position) => ({
    id: newId('bl'), business_id: businessId, bill_id: billId, position, description: l.description.trim(), quantity: l.quantity, unit_price_minor: l.unitPriceMinor,
    account_id: l.accountId, subtotal_minor: l.subtotalMinor, vat_minor: l.vatMinor, superseded_at: null,
  })));
}

export async function createBill(ctx: Ctx, businessId: string, input: BillInput): Promise<string> {
  const business = await getBusiness(ctx.store.db, businessId);
  return inTransaction(ctx, async (trx) => {
    const p = await prepare(trx, businessId, business.country, business.currency, input);
    const year = p.billDate.slice(0, 4);
    const name = `bill-${year}`;
    await trx.insertInto('sequences').values({ business_id: businessId, name, next_value: 1 }).onConflict((oc) => oc.columns(['business_id', 'name']).doNothing()).execute();
    const seq = await trx.updateTable('sequences').set((eb) => ({ next_value: eb('next_value', '+', 1) })).where('business_id', '=', businessId).where('name', '=', name).returning('next_value').executeTakeFirstOrThrow();
    const number = `BILL-${year}-${String(Number(seq.next_value) - 1).padStart(3, '0')}`;
    const id = newId('bill');
    const entryId = await postEntry(trx, ctx, businessId, billPostedEntry({ id, number, currency: p.currency, lines: p.priced.lines, vatMinor: p.priced.vatMinor, totalMinor: p.priced.totalMinor }));
    const now = ctx.clock.now().toISOString();
    await trx.insertInto('bills').values({
      id, business_id: businessId, supplier_id: input.supplierId, number, reference: input.reference ?? null, currency: p.currency, bill_date: p.billDate, due_date: p.dueDate,
      vat_rate_bps: p.vatRateBps, subtotal_minor: p.priced.subtotalMinor, vat_minor: p.priced.vatMinor, total_minor: p.priced.totalMinor, status: 'unpaid',
      notes: input.notes ?? null, void_reason: null, journal_entry_id: entryId, created_at: now, updated_at: now, voided_at: null,
    }).execute();
    await writeLines(trx, businessId, id, p.priced);
    await recordAudit(trx, ctx, { businessId, action: 'bill.created', entityType: 'bill', entityId: id, data: { number, total_minor: p.priced.totalMinor } });
    return id;
  });
}

export async function lockBill(trx: Tx, ctx: Ctx, businessId: string, id: string): Promise<BillsTable> {
  await findBill(trx, businessId, id);
  return forUpdate(ctx.store.engine, trx.selectFrom('bills').selectAll().where('id', '=', id)).executeTakeFirstOrThrow();
}

async function reverseBillEntry(trx: Tx, ctx: Ctx, bill: BillsTable, kind: 'bill_voided' | 'bill_reposted', memo: string): Promise<void> {
  const lines = await trx.selectFrom('bill_lines').selectAll().where('bill_id', '=', bill.id).where('superseded_at', 'is', null).execute();
  const original = billPostedEntry({ id: bill.id, number: bill.number, currency: parseCurrency(bill.currency), vatMinor: Number(bill.vat_minor), totalMinor: Number(bill.total_minor),
    lines: lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceMinor: Number(l.unit_price_minor), accountId: l.account_id, subtotalMinor: Number(l.subtotal_minor), vatMinor: Number(l.vat_minor) })) });
  await postEntry(trx, ctx, bill.business_id, reversalOf(original, kind, memo, bill.journal_entry_id));
}

/** Seed 004: only unpaid bills can be edited; paid and voided bills are immutable (409). */
export async function updateBill(ctx: Ctx, businessId: string, id: string, input: BillInput): Promise<void> {
  const business = await getBusiness(ctx.store.db, businessId);
  await inTransaction(ctx, async (trx) => {
    const bill = await lockBill(trx, ctx, businessId, id);
    if (bill.status !== 'unpaid' || (await paidOnBill(trx, id)) > 0) throw invalidState(`a ${bill.status} bill cannot be edited`);
    const p = await prepare(trx, businessId, business.country, parseCurrency(bill.currency), { ...input, currency: bill.currency });
    await reverseBillEntry(trx, ctx, bill, 'bill_reposted', `Bill ${bill.number} edited: previous entry reversed`);
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('bill_lines').set({ superseded_at: now }).where('bill_id', '=', id).where('superseded_at', 'is', null).execute();
    await writeLines(trx, businessId, id, p.priced);
    const entryId = await postEntry(trx, ctx, businessId, billPostedEntry({ id, number: bill.number, currency: p.currency, lines: p.priced.lines, vatMinor: p.priced.vatMinor, totalMinor: p.priced.totalMinor }));
    await trx.updateTable('bills').set({
      supplier_id: input.supplierId, reference: input.reference ?? null, bill_date: p.billDate, due_date: p.dueDate, vat_rate_bps: p.vatRateBps,
      subtotal_minor: p.priced.subtotalMinor, vat_minor: p.priced.vatMinor, total_minor: p.priced.totalMinor, notes: input.notes ?? null, journal_entry_id: entryId, updated_at: now,
    }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'bill.updated', entityType: 'bill', entityId: id, data: { total_minor: p.priced.totalMinor } });
  });
}

export async function voidBill(ctx: Ctx, businessId: string, id: string, reason: string): Promise<void> {
  if (!reason?.trim()) throw invalid('reason', 'is required');
  if (reason.length > 500) throw invalid('reason', 'must be at most 500 characters');
  await inTransaction(ctx, async (trx) => {
    const bill = await lockBill(trx, ctx, businessId, id);
    if (bill.status !== 'unpaid' || (await paidOnBill(trx, id)) > 0) throw new AppError('invalid_state', `only an unpaid bill can be voided (this one is ${bill.status})`);
    await reverseBillEntry(trx, ctx, bill, 'bill_voided', `Bill ${bill.number} voided: ${reason.trim()}`);
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('bills').set({ status: 'voided', void_reason: reason.trim(), voided_at: now, updated_at: now }).where('id', '=', id).execute();
    await recordAudit(trx, ctx, { businessId, action: 'bill.voided', entityType: 'bill', entityId: id, data: { reason: reason.trim() } });
  });
}
