/**
 * C2B confirmations ingested and matched per second over real HTTP (keep-alive, 16 in flight),
 * with 10,000 and with 1,000,000 open invoices in the database: matching must use indexes, so the
 * two rates should differ by little. Beside it, the baseline: the same bodies from the same load
 * worker to a bare Fastify route that parses the JSON and answers, which is what HTTP alone allows
 * on this machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import Fastify from 'fastify';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/domain/clock.js';
import { newId } from '../src/domain/ids.js';
import { darajaTimestamp } from '../src/rails/mpesa/stk-password.js';
import { parseKeyRing } from '../src/security/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { hashPathSecret } from '../src/services/mpesa/register-urls.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

const SECRET = 'bench-path-secret-0123456789abcdef';
const SHORTCODE = '600777';
const IN_FLIGHT = 16;

/** Open invoices straight into the tables, two per customer; the business's own rows stay consistent enough to match against. */
function seedInvoices(path: string, businessId: string, count: number): void {
  const db = new BetterSqlite3(path);
  db.pragma('journal_mode = WAL');
  const customer = db.prepare(`insert into customers (id, business_id, account_ref, account_ref_key, name, phone, phone_key, email, language, created_at, updated_at) values (?, ?, ?, ?, 'Bench', null, null, null, null, '2026-04-01', '2026-04-01')`);
  const invoice = db.prepare(`insert into invoices (id, business_id, customer_id, number, public_token, external_ref, external_ref_key, shortcode, source, status, currency, name, billed_period, notes,
    subtotal_minor, tax_minor, total_minor, issue_date, due_date, issued_at, paid_at, cancelled_at, cancel_reason, created_at, updated_at)
    values (?, ?, ?, ?, ?, null, null, null, 'native', 'open', 'KES', 'Water', null, null, 100000, 0, 100000, '2026-04-01', '2026-04-30', '2026-04-01', null, null, null, '2026-04-01', '2026-04-01')`);
  const BATCH = 50_000;
  for (let start = 0; start < count; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(count, start + BATCH); i += 2) {
        const customerId = newId('cus');
        customer.run(customerId, businessId, `M-${i / 2}`, `M${i / 2}`);
        invoice.run(newId('inv'), businessId, customerId, `INV-${String(i + 1).padStart(7, '0')}`, newId('tok'));
        if (i + 1 < count) invoice.run(newId('inv'), businessId, customerId, `INV-${String(i + 2).padStart(7, '0')}`, newId('tok'));
      }
    })();
  }
  db.pragma('optimize');
  db.close();
}

function load(url: string, bodies: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { url, bodies, inFlight: IN_FLIGHT } });
    worker.once('message', (m: { seconds: number }) => resolve(m.seconds));
    worker.once('error', reject);
  });
}

const WARM_UP = 1_000;

function confirmationBody(n: number, customers: number, transTime: string): string {
  return JSON.stringify({
    TransactionType: 'Pay Bill', TransID: `BENCH${String(n).padStart(5, '0')}`, TransTime: transTime, TransAmount: '400.00',
    BusinessShortCode: SHORTCODE, BillRefNumber: `m-${(n * 7919) % customers}`, InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '', MSISDN: '254708374149', FirstName: 'John', MiddleName: '', LastName: '',
  });
}

/** The baseline: a route that takes the same bodies and gives the same answer, with nothing behind it. */
async function bareRoutePerSecond(bodies: string[], warmUp: string[]): Promise<number> {
  const app = Fastify({ logger: false });
  app.post('/api/callbacks/c2b/:secret/confirm', async () => ({ ResultCode: 0, ResultDesc: 'Success' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/callbacks/c2b/${SECRET}/confirm`;
    await load(url, warmUp);
    return bodies.length / await load(url, bodies);
  } finally {
    await app.close();
  }
}

export interface C2bIngestResult {
  openInvoices: number;
  /** Confirmations recorded and matched per second. */
  perSecond: number;
  /** The same requests to a bare Fastify route. */
  barePerSecond: number;
  /** perSecond / barePerSecond. */
  ratio: number;
}

export async function benchC2bIngest(openInvoices: number, confirmations = 6_000): Promise<C2bIngestResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-c2b-'));
  const path = join(dir, 'bench.db');
  let store = openStore(`sqlite:${path}`);
  try {
    await migrateToLatest(store);
    const clock = new ManualClock('2026-04-02T06:00:00Z');
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const business = await createBusiness(ctx, { name: 'Bench Water', shortcode: SHORTCODE });
    await store.db.insertInto('mpesa_settings').values({
      business_id: business.id, shortcode: SHORTCODE, shortcode_type: 'paybill', consumer_key: 'k', consumer_secret_sealed: 'unused', passkey_sealed: null,
      environment: 'sandbox', base_url: 'https://sandbox.safaricom.co.ke', response_type: 'Completed', reject_unknown_accounts: 0, allow_prepayment: 0,
      allowed_ips_json: '[]', callback_secret_hash: hashPathSecret(SECRET), created_at: '2026-04-01', updated_at: '2026-04-01',
    }).execute();
    await store.close();
    seedInvoices(path, business.id, openInvoices);
    store = openStore(`sqlite:${path}`);
    const app = await buildApp({ store, clock, keys: parseKeyRing(`bench:${Buffer.alloc(32, 2).toString('base64')}`), config: { ...loadConfig({}), databaseUrl: store.url }, logLevel: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/callbacks/c2b/${SECRET}/confirm`;
    const customers = Math.ceil(openInvoices / 2);
    const transTime = darajaTimestamp(clock.now());
    const warmUp = Array.from({ length: WARM_UP }, (_, n) => confirmationBody(1_000_000 + n, customers, transTime));
    const bodies = Array.from({ length: confirmations }, (_, n) => confirmationBody(n, customers, transTime));
    await load(url, warmUp);
    const seconds = await load(url, bodies);
    const recorded = await store.db.selectFrom('payments').select((eb) => eb.fn.countAll<number>().as('n')).where('business_id', '=', business.id).where('match_rule', '=', 'account_reference').executeTakeFirstOrThrow();
    if (Number(recorded.n) !== confirmations + WARM_UP) throw new Error(`expected ${confirmations + WARM_UP} matched payments, found ${recorded.n}`);
    await app.close();
    const perSecond = confirmations / seconds;
    const barePerSecond = await bareRoutePerSecond(bodies, warmUp);
    return { openInvoices, perSecond, barePerSecond, ratio: perSecond / barePerSecond };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
