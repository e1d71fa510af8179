/**
 * A 1,000-invoice Bill Manager bulk call end to end over HTTP (token, JSON parsing, validation,
 * invoices, items, customers, journal, audit, outbox SMS and reminders), median of several calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { ManualClock } from '../src/domain/clock.js';
import { buildApp } from '../src/server/app.js';
import { parseKeyRing } from '../src/security/secret-box.js';
import { createApp } from '../src/services/auth/apps.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

export interface BulkResult {
  invoices: number;
  medianMs: number;
  invoicesPerS: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchBillManagerBulk(calls = 5, size = 1000): Promise<BulkResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bm-'));
  const store = openStore(`sqlite:${join(dir, 'bench.db')}`);
  process.env.ALLOW_PRIVATE_CALLBACK_URLS = '1';
  try {
    await migrateToLatest(store);
    const clock = new ManualClock('2026-04-01T06:00:00Z');
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const app = await buildApp({ store, clock, keys: parseKeyRing(`bench:${Buffer.alloc(32, 1).toString('base64')}`), config: { ...loadConfig({}), databaseUrl: store.url }, logLevel: false });
    const business = await createBusiness(ctx, { name: 'Bench Water', shortcode: '654321' });
    const credentials = await createApp(ctx, { businessId: business.id });
    const basic = Buffer.from(`${credentials.consumerKey}:${credentials.consumerSecret}`).toString('base64');
    const token = (await app.inject({ url: '/oauth/v1/generate?grant_type=client_credentials', headers: { authorization: `Basic ${basic}` } })).json().access_token as string;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    await app.inject({ method: 'POST', url: '/v1/billmanager-invoice/optin', headers, payload: { shortcode: '654321', email: 'a@b.co.ke', officialContact: '0710000000', sendReminders: '1', callbackurl: 'http://127.0.0.1:9/cb' } });
    const timings: number[] = [];
    for (let call = -1; call < calls; call++) {
      const body = JSON.stringify(Array.from({ length: size }, (_, i) => ({
        externalReference: `C${call}-${i}`, billedFullName: 'John Doe', billedPhoneNumber: '0722000000', billedPeriod: 'April 2026',
        invoiceName: 'Water', dueDate: '2026-04-30', accountReference: `M-${call}-${i}`, amount: '800',
        invoiceItems: [{ itemName: 'water', amount: '700' }, { itemName: 'sewer', amount: '100' }],
      })));
      const started = process.hrtime.bigint();
      const res = await app.inject({ method: 'POST', url: '/v1/billmanager-invoice/bulk-invoicing', headers, payload: body });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.statusCode !== 200) throw new Error(`bulk failed: ${res.body}`);
      if (call >= 0) timings.push(ms); // call -1 warms up
    }
    await app.close();
    const medianMs = median(timings);
    return { invoices: size, medianMs, invoicesPerS: Math.round(size / (medianMs / 1000)) };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
