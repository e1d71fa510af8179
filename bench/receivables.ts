/**
 * Invoices created per second through the domain (createInvoices: validation, pricing, customers,
 * numbering, items, journal entry, audit) — one transaction per invoice, and as one batch — beside
 * the same rows written with raw better-sqlite3 prepared statements in one transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { ManualClock } from '../src/domain/clock.js';
import { newId, newSecret } from '../src/domain/ids.js';
import { applyRateBps } from '../src/domain/money.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { createInvoice, createInvoices, type CreateInvoiceInput } from '../src/services/invoices/create-invoices.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

export const INVOICES = 1000;
const ITEMS = 3;

export interface Measured {
  label: string;
  seconds: number;
  perSecond: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function inputs(run: string): CreateInvoiceInput[] {
  return Array.from({ length: INVOICES }, (_, i) => ({
    customer: { accountRef: `${run}-ACC-${i}`, name: `Customer ${i}`, phone: '+254712345678' },
    name: 'Water bill', dueDate: '2026-04-30',
    items: Array.from({ length: ITEMS }, (_, j) => ({ name: `item ${j}`, quantity: 1 + j, unitPriceMinor: 10_000 + j * 250, taxRateBps: 1600 })),
  }));
}

async function freshStore() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ar-'));
  const store = openStore(`sqlite:${join(dir, 'bench.db')}`);
  await migrateToLatest(store);
  const ctx = { store, clock: new ManualClock('2026-04-01T06:00:00Z'), actor: { type: 'system' as const, id: 'bench' } };
  const business = await createBusiness(ctx, { name: 'Bench', shortcode: '600001' });
  return { dir, store, ctx, business, path: join(dir, 'bench.db') };
}

async function timeDomain(batch: boolean, run: string): Promise<number> {
  const { dir, store, ctx, business } = await freshStore();
  try {
    const list = inputs(run);
    const started = process.hrtime.bigint();
    if (batch) await createInvoices(ctx, business.id, list);
    else for (const input of list) await createInvoice(ctx, business.id, input);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same rows createInvoices writes for an issued invoice, straight through prepared statements. */
async function timeRaw(run: string): Promise<number> {
  const { dir, store, business, path } = await freshStore();
  const accounts = new Map((await store.db.selectFrom('accounts').select(['id', 'system_key']).where('business_id', '=', business.id).execute()).map((a) => [a.system_key!, a.id]));
  await store.close();
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  try {
    const insertCustomer = db.prepare('insert into customers (id, business_id, account_ref, account_ref_key, name, phone, phone_key, email, language, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, null, null, ?, ?)');
    const insertInvoice = db.prepare(`insert into invoices (id, business_id, customer_id, number, public_token, external_ref, external_ref_key, shortcode, source, status, currency, name, billed_period, notes,
      subtotal_minor, tax_minor, total_minor, issue_date, due_date, issued_at, paid_at, cancelled_at, cancel_reason, created_at, updated_at)
      values (?, ?, ?, ?, ?, null, null, null, 'native', 'open', 'KES', ?, null, null, ?, ?, ?, ?, ?, ?, null, null, null, ?, ?)`);
    const insertItem = db.prepare(`insert into invoice_items (id, business_id, invoice_id, position, product_id, sku, name, quantity, unit_price_minor, tax_rate_bps, subtotal_minor, tax_minor, total_minor, variant_info, created_at, removed_at)
      values (?, ?, ?, ?, null, null, ?, ?, ?, ?, ?, ?, ?, null, ?, null)`);
    const insertEntry = db.prepare(`insert into journal_entries (id, business_id, currency, kind, memo, invoice_id, payment_id, reverses_entry_id, actor, request_id, created_at)
      values (?, ?, 'KES', 'invoice_issued', ?, ?, null, null, 'system:bench', null, ?)`);
    const insertLine = db.prepare('insert into journal_lines (id, business_id, entry_id, account_id, customer_id, debit_minor, credit_minor) values (?, ?, ?, ?, ?, ?, ?)');
    const insertAudit = db.prepare(`insert into audit_log (id, business_id, actor_type, actor_id, action, entity_type, entity_id, request_id, data_json, created_at)
      values (?, ?, 'system', 'bench', 'invoice.issued', 'invoice', ?, null, ?, ?)`);
    const now = '2026-04-01T06:00:00.000Z';
    const list = inputs(run);
    const started = process.hrtime.bigint();
    db.transaction(() => {
      list.forEach((input, i) => {
        const customerId = newId('cus');
        insertCustomer.run(customerId, business.id, input.customer.accountRef, input.customer.accountRef.replace(/[^0-9A-Z]/gi, '').toUpperCase(), input.customer.name, input.customer.phone, '712345678', now, now);
        const invoiceId = newId('inv');
        let subtotal = 0;
        let tax = 0;
        const items = input.items.map((item) => {
          const sub = item.unitPriceMinor * item.quantity;
          const t = applyRateBps(sub, item.taxRateBps);
          subtotal += sub;
          tax += t;
          return { ...item, sub, t };
        });
        insertInvoice.run(invoiceId, business.id, customerId, `INV-${String(i + 1).padStart(6, '0')}`, newSecret(18), input.name, subtotal, tax, subtotal + tax, '2026-04-01', input.dueDate, now, now, now);
        items.forEach((item, position) => insertItem.run(newId('item'), business.id, invoiceId, position, item.name, item.quantity, item.unitPriceMinor, item.taxRateBps, item.sub, item.t, item.sub + item.t, now));
        const entryId = newId('je');
        insertEntry.run(entryId, business.id, `Invoice INV-${i + 1} issued`, invoiceId, now);
        insertLine.run(newId('jl'), business.id, entryId, accounts.get('accounts_receivable'), customerId, subtotal + tax, 0);
        insertLine.run(newId('jl'), business.id, entryId, accounts.get('sales'), null, 0, subtotal);
        insertLine.run(newId('jl'), business.id, entryId, accounts.get('vat_output'), null, 0, tax);
        insertAudit.run(newId('aud'), business.id, invoiceId, '{}', now);
      });
    })();
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchReceivables(repeats = 3): Promise<Measured[]> {
  await timeDomain(true, 'warm');
  await timeRaw('warm');
  const runs = { raw: [] as number[], batch: [] as number[], single: [] as number[] };
  for (let r = 0; r < repeats; r++) {
    runs.raw.push(await timeRaw(`r${r}`));
    runs.batch.push(await timeDomain(true, `b${r}`));
    runs.single.push(await timeDomain(false, `s${r}`));
  }
  return [
    { label: `raw better-sqlite3 inserts (baseline), ${INVOICES} invoices × ${ITEMS} items`, seconds: median(runs.raw), perSecond: INVOICES / median(runs.raw) },
    { label: 'domain, one batch (one transaction)', seconds: median(runs.batch), perSecond: INVOICES / median(runs.batch) },
    { label: 'domain, one transaction per invoice', seconds: median(runs.single), perSecond: INVOICES / median(runs.single) },
  ];
}
