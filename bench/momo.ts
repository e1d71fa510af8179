/**
 * MoMo status polls per second the scheduler sustains with 10,000 pending MoMo invoices against
 * the simulator (SQLite): claim, GET status over HTTP, record the answer. Baseline: the same GETs
 * sent bare (same concurrency, same simulator, same process), so the ratio is our overhead.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/domain/clock.js';
import { MomoClient } from '../src/rails/momo/momo-client.js';
import { MomoSimulator } from '../src/rails/momo/momo-simulator.js';
import { parseKeyRing, seal } from '../src/security/secret-box.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { createInvoices } from '../src/services/invoices/create-invoices.js';
import { pollDueMomoRequests } from '../src/services/momo/momo-poll-job.js';
import { insertRows } from '../src/services/tx.js';
import type { MomoRequestsTable } from '../src/storage/schema-momo.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

const CONCURRENCY = 16;

export async function benchMomoPolling(pending = 10_000): Promise<{ pending: number; pollsPerSecond: number; rawPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-momo-'));
  const store = openStore(`sqlite:${join(dir, 'bench.db')}`);
  const creds = { subscriptionKey: 'bench-sub', apiUser: randomUUID(), apiKey: 'bench-key' };
  const sim = new MomoSimulator(creds);
  try {
    await migrateToLatest(store);
    await sim.start();
    const clock = new ManualClock('2026-05-01T08:00:00Z');
    const keys = parseKeyRing(`bench:${Buffer.alloc(32, 3).toString('base64')}`);
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const business = await createBusiness(ctx, { name: 'Bench School', currency: 'UGX' });
    const now = clock.now().toISOString();
    await store.db.insertInto('momo_settings').values({ business_id: business.id, subscription_key_sealed: seal(keys, creds.subscriptionKey), api_user: creds.apiUser,
      api_key_sealed: seal(keys, creds.apiKey), target_environment: 'mtnuganda', base_url: sim.baseUrl, currency: 'UGX', ussd_prefix: '*165*3', payee_msisdn: null, enabled: 1, created_at: now, updated_at: now }).execute();
    const rows: MomoRequestsTable[] = [];
    for (let start = 0; start < pending; start += 1000) {
      const created = await createInvoices(ctx, business.id, Array.from({ length: Math.min(1000, pending - start) }, (_, i) => ({
        customer: { accountRef: `S-${start + i}`, name: 'Pupil', phone: '+256772000000' }, name: 'Fees', dueDate: '2026-05-31', currency: 'UGX',
        items: [{ name: 'Term 2', quantity: 1, unitPriceMinor: 150_000, taxRateBps: 0 }],
      })));
      for (const { invoice } of created) {
        const id = randomUUID();
        rows.push({ id, business_id: business.id, invoice_id: invoice.id, kind: 'invoice', status: 'pending', live_slot: 'live', currency: 'UGX', amount_minor: 150_000,
          payer_msisdn: '256772000000', payment_reference: null, momo_status: 'PENDING', reason: null, expires_at: '2026-05-31T20:59:59.000Z', next_poll_at: now, polls: 0,
          cancel_requested_at: null, payment_id: null, created_at: now, updated_at: now });
        sim.invoices.set(id, { referenceId: id, externalId: invoice.id, amount: '150000', currency: 'UGX', status: 'PENDING', paymentReference: String(10_000_000 + rows.length),
          expiresAtMs: Date.parse('2026-12-31T00:00:00Z'), callbackUrl: null, cancelled: false });
      }
    }
    await insertRows(store.db, 'momo_requests', rows);

    // Baseline: the same status reads, bare.
    const client = new MomoClient({ baseUrl: sim.baseUrl, ...creds, targetEnvironment: 'mtnuganda' }, clock);
    let next = 0;
    const rawStarted = process.hrtime.bigint();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next < rows.length) await client.invoiceStatus(rows[next++]!.id); }));
    const rawSeconds = Number(process.hrtime.bigint() - rawStarted) / 1e9;

    const readsBefore = sim.statusReads;
    const started = process.hrtime.bigint();
    let polled = 0;
    for (let n = await pollDueMomoRequests(ctx, keys, 'http://127.0.0.1', { concurrency: CONCURRENCY }); n > 0; n = await pollDueMomoRequests(ctx, keys, 'http://127.0.0.1', { concurrency: CONCURRENCY })) polled += n;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const recorded = await store.db.selectFrom('momo_requests').select((eb) => eb.fn.countAll<number>().as('n')).where('polls', '=', 1).where('payment_reference', 'is not', null).executeTakeFirstOrThrow();
    if (polled !== pending || Number(recorded.n) !== pending || sim.statusReads - readsBefore !== pending) throw new Error(`expected ${pending} polls, got ${polled} (${recorded.n} recorded)`);
    return { pending, pollsPerSecond: pending / seconds, rawPerSecond: rows.length / rawSeconds };
  } finally {
    await sim.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
