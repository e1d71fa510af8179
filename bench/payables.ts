/**
 * Bill payments per second through the payables API (Fastify's full request path via inject:
 * auth, validation, row lock, two journal entries with WHT, audit), beside raw better-sqlite3
 * inserts of the same rows in one transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/domain/clock.js';
import { newId } from '../src/domain/ids.js';
import { parseKeyRing } from '../src/security/secret-box.js';
import { buildApp } from '../src/server/app.js';
import { createApiToken } from '../src/services/auth/api-tokens.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { createBill } from '../src/services/payables/record-bill.js';
import { createSupplier } from '../src/services/payables/suppliers.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

export async function benchBillPayments(count = 1000): Promise<{ apiPerSecond: number; rawPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-ap-'));
  const path = join(dir, 'bench.db');
  const store = openStore(`sqlite:${path}`);
  try {
    await migrateToLatest(store);
    const keys = parseKeyRing(`bench:${Buffer.alloc(32, 3).toString('base64')}`);
    const clock = new ManualClock('2026-04-01T06:00:00Z');
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const business = await createBusiness(ctx, { name: 'Bench', country: 'NG', currency: 'NGN' });
    const supplier = await createSupplier(ctx, keys, business.id, { name: 'Supplier' });
    const accounts = new Map((await store.db.selectFrom('accounts').select(['id', 'code']).where('business_id', '=', business.id).execute()).map((a) => [a.code, a.id]));
    const bills: string[] = [];
    for (let i = 0; i < count; i++) bills.push(await createBill(ctx, business.id, { supplierId: supplier.id, billDate: '2026-03-01', dueDate: '2026-03-31', lines: [{ description: 'Fuel', quantity: 1, unitPriceMinor: 1_000_000, accountId: accounts.get('5000')! }] }));
    const { token } = await createApiToken(ctx, { businessId: business.id, role: 'admin' });
    const app = await buildApp({ store, clock, keys, config: { ...loadConfig({}), databaseUrl: store.url }, logLevel: false });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    let started = process.hrtime.bigint();
    for (const id of bills) {
      const res = await app.inject({ method: 'POST', url: `/v1/bills/${id}/payments`, headers, payload: { amount: 5000, whtRate: 5, paymentMethod: 'bank_transfer' } });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
    const apiSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await app.close();
    await store.close();

    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    const entry = db.prepare(`insert into journal_entries (id, business_id, currency, kind, memo, invoice_id, payment_id, reverses_entry_id, actor, request_id, created_at) values (?, ?, 'NGN', ?, 'bench', null, null, null, 'system:bench', null, '2026-04-01')`);
    const line = db.prepare('insert into journal_lines (id, business_id, entry_id, account_id, customer_id, debit_minor, credit_minor) values (?, ?, ?, ?, null, ?, ?)');
    const payment = db.prepare(`insert into bill_payments (id, business_id, bill_id, amount_minor, wht_rate_bps, wht_minor, payment_date, payment_method, reference, notes, journal_entry_id, created_at) values (?, ?, ?, 500000, 500, 25000, '2026-04-01', 'bank_transfer', null, null, ?, '2026-04-01')`);
    const bill = db.prepare(`update bills set status = 'partial', updated_at = '2026-04-01' where id = ?`);
    const audit = db.prepare(`insert into audit_log (id, business_id, actor_type, actor_id, action, entity_type, entity_id, request_id, data_json, created_at) values (?, ?, 'system', 'bench', 'bill.paid', 'bill', ?, null, '{}', '2026-04-01')`);
    started = process.hrtime.bigint();
    db.transaction(() => {
      for (const id of bills) {
        const paidEntry = newId('je');
        entry.run(paidEntry, business.id, 'bill_paid');
        line.run(newId('jl'), business.id, paidEntry, accounts.get('2000'), 500_000, 0);
        line.run(newId('jl'), business.id, paidEntry, accounts.get('1010'), 0, 475_000);
        line.run(newId('jl'), business.id, paidEntry, accounts.get('2022'), 0, 25_000);
        const whtEntry = newId('je');
        entry.run(whtEntry, business.id, 'wht_transferred');
        line.run(newId('jl'), business.id, whtEntry, accounts.get('2022'), 25_000, 0);
        line.run(newId('jl'), business.id, whtEntry, accounts.get('2027'), 0, 25_000);
        payment.run(newId('bpay'), business.id, id, paidEntry);
        bill.run(id);
        audit.run(newId('aud'), business.id, id);
      }
    })();
    const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    db.close();
    return { apiPerSecond: count / apiSeconds, rawPerSecond: count / rawSeconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
