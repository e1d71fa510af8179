/**
 * Changing an invoice while nothing is paid on it: its editable fields, and its items. On an issued
 * invoice an added or removed item is a balanced adjusting entry on the receivable, in the same
 * transaction; the invoice's totals stay the sum of its current lines. A new due date moves the
 * reminders.
 */
import { localDate, parseDate } from '../../domain/clock.js';
import { invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { assertCanEdit, statusFor, type InvoiceStatus } from '../../domain/invoices/status.js';
import { priceItem } from '../../domain/invoices/totals.js';
import { invoiceAdjustedEntry } from '../../domain/ledger/entries.js';
import { parseCurrency } from '../../domain/money.js';
import { requeueMessages } from '../../jobs/outbox/enqueue.js';
import { recordAudit } from '../audit.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { postEntry } from '../ledger/post-entry.js';
import { inTransaction, type Tx } from '../tx.js';
import { allocatedMinor, findInvoice, lockCustomer, lockInvoice } from './invoice-queries.js';
import { cancelReminders, invoiceMessages, type InvoiceMessageContext } from './invoice-messages.js';
import type { ItemSpec } from './create-invoices.js';
import { assertInvoiceInvariants } from './invariants.js';

async function lockEditable(trx: Tx, ctx: Ctx, businessId: string, invoiceId: string) {
  const found = await findInvoice(trx, businessId, invoiceId);
  await lockCustomer(trx, ctx.store.engine, businessId, found.customer_id);
  const invoice = await lockInvoice(trx, ctx.store.engine, businessId, invoiceId);
  assertCanEdit(invoice.status as InvoiceStatus, await allocatedMinor(trx, invoice.id));
  return invoice;
}

async function retotal(trx: Tx, invoiceId: string, now: string, today: string): Promise<void> {
  const items = await trx.selectFrom('invoice_items').selectAll().where('invoice_id', '=', invoiceId).where('removed_at', 'is', null).execute();
  if (items.length === 0) throw invalid('items', 'an invoice keeps at least one item');
  const subtotal = items.reduce((s, i) => s + Number(i.subtotal_minor), 0);
  const tax = items.reduce((s, i) => s + Number(i.tax_minor), 0);
  if (subtotal + tax <= 0) throw invalid('items', 'invoice total must be greater than zero');
  const invoice = await trx.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
  const status = invoice.status === 'draft' ? 'draft' : statusFor(subtotal + tax, 0, invoice.due_date, today);
  await trx.updateTable('invoices').set({ subtotal_minor: subtotal, tax_minor: tax, total_minor: subtotal + tax, status, updated_at: now }).where('id', '=', invoiceId).execute();
  assertInvoiceInvariants({ ...invoice, subtotal_minor: subtotal, tax_minor: tax, total_minor: subtotal + tax },
    items.map((i) => ({ subtotalMinor: Number(i.subtotal_minor), taxMinor: Number(i.tax_minor), totalMinor: Number(i.total_minor) })));
}

export async function addInvoiceItem(ctx: Ctx, businessId: string, invoiceId: string, spec: ItemSpec): Promise<string> {
  const business = await getBusiness(ctx.store.db, businessId);
  return inTransaction(ctx, async (trx) => {
    const invoice = await lockEditable(trx, ctx, businessId, invoiceId);
    if (!spec.name?.trim() || spec.name.length > 500) throw invalid('name', 'must be 1 to 500 characters');
    const priced = priceItem({ name: spec.name.trim(), quantity: spec.quantity, unitPriceMinor: spec.unitPriceMinor, taxRateBps: spec.taxRateBps });
    const position = (await trx.selectFrom('invoice_items').select((eb) => eb.fn.max('position').as('p')).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow()).p;
    const now = ctx.clock.now().toISOString();
    const id = newId('item');
    await trx.insertInto('invoice_items').values({
      id, business_id: businessId, invoice_id: invoiceId, position: Number(position ?? -1) + 1, product_id: spec.productId ?? null, sku: spec.sku ?? null, name: priced.name,
      quantity: priced.quantity, unit_price_minor: priced.unitPriceMinor, tax_rate_bps: priced.taxRateBps, subtotal_minor: priced.subtotalMinor, tax_minor: priced.taxMinor,
      total_minor: priced.totalMinor, variant_info: spec.variantInfo ?? null, created_at: now, removed_at: null,
    }).execute();
    if (invoice.status !== 'draft') {
      await postEntry(trx, ctx, businessId, invoiceAdjustedEntry({ invoiceId, number: invoice.number, customerId: invoice.customer_id, currency: parseCurrency(invoice.currency),
        subtotalMinor: priced.subtotalMinor, taxMinor: priced.taxMinor, added: true, what: `item ${priced.name} added` }));
    }
    await retotal(trx, invoiceId, now, localDate(ctx.clock.now(), business.timezone));
    await recordAudit(trx, ctx, { businessId, action: 'invoice.item_added', entityType: 'invoice', entityId: invoiceId, data: { item_id: id, total_minor: priced.totalMinor } });
    return id;
  });
}

export async function removeInvoiceItem(ctx: Ctx, businessId: string, invoiceId: string, itemId: string): Promise<void> {
  const business = await getBusiness(ctx.store.db, businessId);
  await inTransaction(ctx, async (trx) => {
    const invoice = await lockEditable(trx, ctx, businessId, invoiceId);
    const item = await trx.selectFrom('invoice_items').selectAll().where('invoice_id', '=', invoiceId).where('id', '=', itemId).where('removed_at', 'is', null).executeTakeFirst();
    if (!item) throw notFound('item');
    const now = ctx.clock.now().toISOString();
    await trx.updateTable('invoice_items').set({ removed_at: now }).where('id', '=', itemId).execute();
    if (invoice.status !== 'draft') {
      await postEntry(trx, ctx, businessId, invoiceAdjustedEntry({ invoiceId, number: invoice.number, customerId: invoice.customer_id, currency: parseCurrency(invoice.currency),
        subtotalMinor: Number(item.subtotal_minor), taxMinor: Number(item.tax_minor), added: false, what: `item ${item.name} removed` }));
    }
    await retotal(trx, invoiceId, now, localDate(ctx.clock.now(), business.timezone));
    await recordAudit(trx, ctx, { businessId, action: 'invoice.item_removed', entityType: 'invoice', entityId: invoiceId, data: { item_id: itemId } });
  });
}

export interface InvoiceChanges { name?: string; notes?: string | null; billedPeriod?: string | null; dueDate?: string }

export async function updateInvoice(ctx: Ctx, businessId: string, invoiceId: string, changes: InvoiceChanges, messages: Omit<InvoiceMessageContext, 'businessName' | 'timezone' | 'language'>): Promise<void> {
  const business = await getBusiness(ctx.store.db, businessId);
  await inTransaction(ctx, async (trx) => {
    const invoice = await lockEditable(trx, ctx, businessId, invoiceId);
    const dueDate = changes.dueDate === undefined ? invoice.due_date : parseDate(changes.dueDate, 'due_date');
    if (dueDate < invoice.issue_date) throw invalid('due_date', 'must not be before the issue date');
    if (changes.name !== undefined && (!changes.name.trim() || changes.name.length > 500)) throw invalid('name', 'must be 1 to 500 characters');
    const now = ctx.clock.now();
    const status = invoice.status === 'draft' ? 'draft' : statusFor(Number(invoice.total_minor), 0, dueDate, localDate(now, business.timezone));
    await trx.updateTable('invoices').set({
      name: changes.name?.trim() ?? invoice.name, notes: changes.notes === undefined ? invoice.notes : changes.notes,
      billed_period: changes.billedPeriod === undefined ? invoice.billed_period : changes.billedPeriod, due_date: dueDate, status, updated_at: now.toISOString(),
    }).where('id', '=', invoiceId).execute();
    if (dueDate !== invoice.due_date && invoice.status !== 'draft') {
      await cancelReminders(trx, now, businessId, invoiceId);
      const customer = await trx.selectFrom('customers').selectAll().where('id', '=', invoice.customer_id).executeTakeFirstOrThrow();
      const updated = await trx.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow();
      const reminders = invoiceMessages(now, updated, customer, { ...messages, businessName: business.name, timezone: business.timezone, language: business.language }).filter((m) => m.kind === 'reminder');
      await requeueMessages(trx, now, reminders);
    }
    await recordAudit(trx, ctx, { businessId, action: 'invoice.updated', entityType: 'invoice', entityId: invoiceId, data: { ...changes } });
  });
}
