/**
 * Creates invoices with their items, and issues them (posting the receivable) unless asked for a
 * draft. One code path serves a single invoice and a batch: a batch is one transaction with every
 * row written in a few multi-row inserts, all or nothing.
 */
import { localDate, parseDate } from '../../domain/clock.js';
import { accountRefKey, phoneKey } from '../../domain/customers.js';
import { invalid } from '../../domain/errors.js';
import { newId, newSecret } from '../../domain/ids.js';
import { invoiceIssuedEntry } from '../../domain/ledger/entries.js';
import { parseCurrency, type Currency } from '../../domain/money.js';
import { priceItem, totalsOf, ITEMS_MAX, type PricedItem } from '../../domain/invoices/totals.js';
import { statusFor } from '../../domain/invoices/status.js';
import type { AuditLogTable, CustomerRow, InvoiceItemsTable, InvoiceRow } from '../../storage/schema.js';
import type { Ctx } from '../context.js';
import { getBusiness } from '../businesses/get-business.js';
import { systemAccountIds } from '../ledger/accounts.js';
import { entryRows, insertEntryRows, type EntryRows } from '../ledger/post-entry.js';
import { reserveSequence } from '../sequences.js';
import { inTransaction, insertRows, type Tx } from '../tx.js';
import { parseAccountRef } from '../../domain/customers.js';
import type { CustomerInput } from '../customers/upsert-customer.js';
import { CUSTOMER_NAME_MAX } from '../customers/upsert-customer.js';
import { applyCustomerCredit, customersWithCredit } from '../payments/apply-credit.js';
import { assertInvoiceInvariants } from './invariants.js';

export interface ItemSpec {
  name: string;
  quantity: number;
  unitPriceMinor: number;
  taxRateBps: number;
  sku?: string | null;
  productId?: string | null;
  variantInfo?: string | null;
}

export interface CreateInvoiceInput {
  customer: CustomerInput;
  name: string;
  dueDate: string;
  items: ItemSpec[];
  currency?: string;
  issueDate?: string;
  billedPeriod?: string | null;
  notes?: string | null;
  externalRef?: string | null;
  shortcode?: string | null;
  source?: string;
  /** false keeps the invoice a draft: nothing is posted until it is issued. */
  issue?: boolean;
}

export interface CreatedInvoice {
  invoice: InvoiceRow;
  items: PricedItem[];
  customer: CustomerRow;
}

export const BATCH_MAX = 1000;
const TEXT_MAX = 500;
const LOOKUP_CHUNK = 500;

type PreparedItem = PricedItem & { sku: string | null; productId: string | null; variantInfo: string | null };

interface Prepared {
  input: CreateInvoiceInput;
  currency: Currency;
  items: PreparedItem[];
  totals: ReturnType<typeof totalsOf>;
  issueDate: string;
  dueDate: string;
}

function prepare(input: CreateInvoiceInput, businessCurrency: Currency, today: string, index: number, batch: boolean): Prepared {
  const at = (field: string): string => (batch ? `invoices[${index}].${field}` : field);
  const name = input.name?.trim() ?? '';
  if (!name) throw invalid(at('name'), 'must not be empty');
  if (name.length > TEXT_MAX) throw invalid(at('name'), `must be at most ${TEXT_MAX} characters`);
  if ((input.notes ?? '').length > 4000) throw invalid(at('notes'), 'must be at most 4000 characters');
  if ((input.billedPeriod ?? '').length > 100) throw invalid(at('billed_period'), 'must be at most 100 characters');
  parseAccountRef(input.customer.accountRef, at('customer.account_reference'));
  if (!input.customer.name?.trim()) throw invalid(at('customer.name'), 'must not be empty');
  if (input.customer.name.length > CUSTOMER_NAME_MAX) throw invalid(at('customer.name'), `must be at most ${CUSTOMER_NAME_MAX} characters`);
  const currency = input.currency ? parseCurrency(input.currency, at('currency')) : businessCurrency;
  const issueDate = input.issueDate ? parseDate(input.issueDate, at('issue_date')) : today;
  const dueDate = parseDate(input.dueDate, at('due_date'));
  if (dueDate < issueDate && input.issueDate) throw invalid(at('due_date'), 'must not be before the issue date');
  if (!Array.isArray(input.items) || input.items.length === 0) throw invalid(at('items'), 'must hold at least one item');
  if (input.items.length > ITEMS_MAX) throw invalid(at('items'), `must hold at most ${ITEMS_MAX} items`);
  const items = input.items.map((item, i) => {
    const itemName = item.name?.trim() ?? '';
    if (!itemName) throw invalid(at(`items[${i}].name`), 'must not be empty');
    if (itemName.length > TEXT_MAX) throw invalid(at(`items[${i}].name`), `must be at most ${TEXT_MAX} characters`);
    return { ...priceItem({ ...item, name: itemName }, i), sku: item.sku ?? null, productId: item.productId ?? null, variantInfo: item.variantInfo ?? null };
  });
  const totals = totalsOf(items);
  if (totals.totalMinor <= 0) throw invalid(at('items'), 'invoice total must be greater than zero');
  return { input: { ...input, name }, currency, items, totals, issueDate, dueDate };
}

export interface CreateOptions {
  /** Runs inside the same transaction once the invoices are written: queue their messages here. */
  afterWrite?: (trx: Tx, created: CreatedInvoice[]) => Promise<void>;
}

export async function createInvoices(ctx: Ctx, businessId: string, inputs: CreateInvoiceInput[], opts: CreateOptions = {}): Promise<CreatedInvoice[]> {
  if (inputs.length === 0) throw invalid('invoices', 'must hold at least one invoice');
  if (inputs.length > BATCH_MAX) throw invalid('invoices', `must hold at most ${BATCH_MAX} invoices`);
  const business = await getBusiness(ctx.store.db, businessId);
  const now = ctx.clock.now();
  const today = localDate(now, business.timezone);
  const prepared = inputs.map((input, i) => prepare(input, business.currency, today, i, inputs.length > 1));
  return inTransaction(ctx, async (trx) => {
    const created = await writeInvoices(trx, ctx, businessId, prepared, now.toISOString(), today);
    if (opts.afterWrite) await opts.afterWrite(trx, created);
    return created;
  });
}

export async function createInvoice(ctx: Ctx, businessId: string, input: CreateInvoiceInput, opts: CreateOptions = {}): Promise<CreatedInvoice> {
  const [created] = await createInvoices(ctx, businessId, [input], opts);
  return created!;
}

async function writeInvoices(trx: Tx, ctx: Ctx, businessId: string, prepared: Prepared[], now: string, today: string): Promise<CreatedInvoice[]> {
  const customers = await resolveCustomers(trx, businessId, prepared.map((p) => p.input.customer), now);
  const first = await reserveSequence(trx, businessId, 'invoice', prepared.length);
  const accounts = await systemAccountIds(trx, businessId);

  const invoiceRows: InvoiceRow[] = [];
  const itemRows: InvoiceItemsTable[] = [];
  const entries: EntryRows[] = [];
  const auditRows: AuditLogTable[] = [];

  prepared.forEach((p, index) => {
    const customer = customers.get(accountRefKey(p.input.customer.accountRef))!;
    const issue = p.input.issue !== false;
    const invoice: InvoiceRow = {
      id: newId('inv'), business_id: businessId, customer_id: customer.id,
      number: `INV-${String(first + index).padStart(6, '0')}`, public_token: newSecret(18),
      external_ref: p.input.externalRef ?? null, external_ref_key: p.input.externalRef ? accountRefKey(p.input.externalRef) : null, shortcode: p.input.shortcode ?? null, source: p.input.source ?? 'native',
      status: issue ? statusFor(p.totals.totalMinor, 0, p.dueDate, today) : 'draft',
      currency: p.currency, name: p.input.name, billed_period: p.input.billedPeriod ?? null, notes: p.input.notes ?? null,
      subtotal_minor: p.totals.subtotalMinor, tax_minor: p.totals.taxMinor, total_minor: p.totals.totalMinor,
      issue_date: p.issueDate, due_date: p.dueDate, issued_at: issue ? now : null, paid_at: null, cancelled_at: null, cancel_reason: null,
      created_at: now, updated_at: now,
    };
    invoiceRows.push(invoice);
    p.items.forEach((item, position) => itemRows.push({
      id: newId('item'), business_id: businessId, invoice_id: invoice.id, position, product_id: item.productId ?? null, sku: item.sku ?? null,
      name: item.name, quantity: item.quantity, unit_price_minor: item.unitPriceMinor, tax_rate_bps: item.taxRateBps,
      subtotal_minor: item.subtotalMinor, tax_minor: item.taxMinor, total_minor: item.totalMinor,
      variant_info: item.variantInfo ?? null, created_at: now, removed_at: null,
    }));
    if (issue) {
      const draft = invoiceIssuedEntry({ id: invoice.id, number: invoice.number, customerId: customer.id, currency: p.currency, ...p.totals });
      entries.push(entryRows(ctx, businessId, accounts, draft, now));
    }
    auditRows.push({ id: newId('aud'), business_id: businessId, actor_type: ctx.actor.type, actor_id: ctx.actor.id,
      action: issue ? 'invoice.issued' : 'invoice.drafted', entity_type: 'invoice', entity_id: invoice.id, request_id: ctx.actor.requestId ?? null,
      data_json: JSON.stringify({ number: invoice.number, total_minor: invoice.total_minor, currency: invoice.currency }), created_at: now });
  });

  await insertRows(trx, 'invoices', invoiceRows);
  await insertRows(trx, 'invoice_items', itemRows);
  await insertEntryRows(trx, entries);
  await insertRows(trx, 'audit_log', auditRows);

  // A customer who paid ahead has credit waiting: it settles the new invoices straight away.
  const issued = invoiceRows.filter((i) => i.status !== 'draft');
  const withCredit = await customersWithCredit(trx, businessId, [...new Set(issued.map((i) => i.customer_id))]);
  for (const customerId of withCredit) await applyCustomerCredit(trx, ctx, businessId, customerId, today);

  const refreshed = withCredit.length > 0
    ? new Map((await trx.selectFrom('invoices').selectAll().where('id', 'in', invoiceRows.map((i) => i.id)).execute()).map((r) => [r.id, r]))
    : new Map(invoiceRows.map((r) => [r.id, r]));
  return prepared.map((p, index) => {
    const invoice = refreshed.get(invoiceRows[index]!.id)!;
    assertInvoiceInvariants(invoice, p.items);
    return { invoice, items: p.items, customer: customers.get(accountRefKey(p.input.customer.accountRef))! };
  });
}

async function resolveCustomers(trx: Tx, businessId: string, inputs: CustomerInput[], now: string): Promise<Map<string, CustomerRow>> {
  const byKey = new Map<string, CustomerInput>();
  for (const input of inputs) byKey.set(accountRefKey(input.accountRef), input);
  const keys = [...byKey.keys()];
  const found = new Map<string, CustomerRow>();
  for (let i = 0; i < keys.length; i += LOOKUP_CHUNK) {
    const rows = await trx.selectFrom('customers').selectAll()
      .where('business_id', '=', businessId).where('account_ref_key', 'in', keys.slice(i, i + LOOKUP_CHUNK)).execute();
    for (const row of rows) found.set(row.account_ref_key, row);
  }
  const fresh: CustomerRow[] = [];
  for (const [key, input] of byKey) {
    const existing = found.get(key);
    const phone = input.phone ?? existing?.phone ?? null;
    const contact = { name: input.name.trim(), phone, phone_key: phoneKey(phone), email: input.email ?? existing?.email ?? null, language: input.language ?? existing?.language ?? null };
    if (!existing) {
      const row: CustomerRow = { id: newId('cus'), business_id: businessId, account_ref: input.accountRef.trim(), account_ref_key: key, ...contact, created_at: now, updated_at: now };
      fresh.push(row);
      found.set(key, row);
    } else if (contact.name !== existing.name || contact.phone !== existing.phone || contact.phone_key !== existing.phone_key || contact.email !== existing.email || contact.language !== existing.language) {
      await trx.updateTable('customers').set({ ...contact, updated_at: now }).where('id', '=', existing.id).execute();
      found.set(key, { ...existing, ...contact, updated_at: now });
    }
  }
  await insertRows(trx, 'customers', fresh);
  return found;
}
