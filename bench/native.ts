/**
 * The invoice list route's p50 and p99 latency at 50 concurrent clients with 100,000 invoices in
 * the database, beside a bare Fastify route served by the same server in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/domain/clock.js';
import { newId } from '../src/domain/ids.js';
import { parseKeyRing } from '../src/security/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { createApiToken } from '../src/services/auth/api-tokens.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

function load(url: string, headers: Record<string, string>, requests: number, inFlight: number): Promise<{ p50: number; p99: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./latency-worker.mjs', import.meta.url), { workerData: { url, headers, requests, inFlight } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

export async function benchInvoiceList(invoices = 100_000, requests = 2000, clients = 50) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-list-'));
  const path = join(dir, 'bench.db');
  let store = openStore(`sqlite:${path}`);
  try {
    await migrateToLatest(store);
    const clock = new ManualClock('2026-04-01T06:00:00Z');
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const business = await createBusiness(ctx, { name: 'Bench' });
    const { token } = await createApiToken(ctx, { businessId: business.id, role: 'admin' });
    await store.close();
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    const customer = raw.prepare(`insert into customers (id, business_id, account_ref, account_ref_key, name, phone, phone_key, email, language, created_at, updated_at) values (?, ?, ?, ?, 'Bench', null, null, null, null, '2026-04-01', '2026-04-01')`);
    const invoice = raw.prepare(`insert into invoices (id, business_id, customer_id, number, public_token, external_ref, external_ref_key, shortcode, source, status, currency, name, billed_period, notes,
      subtotal_minor, tax_minor, total_minor, issue_date, due_date, issued_at, paid_at, cancelled_at, cancel_reason, created_at, updated_at)
      values (?, ?, ?, ?, ?, null, null, null, 'native', ?, 'KES', 'Water', null, null, 100000, 0, 100000, '2026-04-01', '2026-04-30', '2026-04-01', null, null, null, '2026-04-01', '2026-04-01')`);
    raw.transaction(() => {
      for (let i = 0; i < invoices; i++) {
        const customerId = newId('cus');
        customer.run(customerId, business.id, `M-${i}`, `M${i}`);
        invoice.run(newId('inv'), business.id, customerId, `INV-${String(i + 1).padStart(6, '0')}`, newId('tok'), i % 3 === 0 ? 'paid' : 'open');
      }
    })();
    raw.close();
    store = openStore(`sqlite:${path}`);
    const app = await buildApp({ store, clock, keys: parseKeyRing(`bench:${Buffer.alloc(32, 4).toString('base64')}`), config: { ...loadConfig({}), databaseUrl: store.url }, logLevel: false });
    app.get('/bench/bare', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const auth = { authorization: `Bearer ${token}` };
    await load(`${base}/api/admin/invoices?limit=50`, auth, 200, clients);
    const bare = await load(`${base}/bench/bare`, {}, requests, clients);
    const list = await load(`${base}/api/admin/invoices/pending?limit=50`, auth, requests, clients);
    await app.close();
    return { invoices, clients, bare, list };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
