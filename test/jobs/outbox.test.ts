import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { claimDue } from '../../src/jobs/outbox/claim.js';
import { completeDelivery } from '../../src/jobs/outbox/complete.js';
import { enqueueMessage, type OutgoingMessage } from '../../src/jobs/outbox/enqueue.js';
import { OutboxWorker, type Sender } from '../../src/jobs/outbox/worker.js';
import { openStore } from '../../src/storage/database.js';
import { aBusiness } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

const FAST = { baseMs: 1_000, capMs: 10_000 };

for (const { engine, skip } of ENGINES) {
  describe(`outbox on ${engine}`, { skip }, () => {
    let store: TestStore;
    let businessId: string;
    before(async () => { store = await openTestStore(engine); businessId = (await aBusiness(testCtx(store))).id; });
    after(async () => { await store?.dispose(); });

    const sms = (dedupeKey: string, extra: Partial<OutgoingMessage> = {}): OutgoingMessage =>
      ({ businessId, channel: 'sms', kind: 'invoice', dedupeKey, recipient: '+254712345678', payload: { text: dedupeKey }, ...extra });
    const statusOf = async (id: string) => store.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    test('a message is enqueued with its business write, or not at all, and only once per dedupe key', async () => {
      const clock = new ManualClock();
      const id = await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('once')));
      assert.ok(id);
      assert.equal(await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('once'))), null);
      await assert.rejects(store.db.transaction().execute(async (trx) => {
        await enqueueMessage(trx, clock.now(), sms('rolled-back'));
        throw new Error('business write failed');
      }));
      const keys = (await store.db.selectFrom('outbox_messages').select('dedupe_key').where('business_id', '=', businessId).execute()).map((r) => r.dedupe_key);
      assert.deepEqual(keys.filter((k) => k === 'once' || k === 'rolled-back'), ['once']);
    });

    test('a retryable failure backs off and retries until delivered, logging every attempt', async () => {
      const clock = new ManualClock('2026-05-01T00:00:00Z');
      const id = (await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('retry'))))!;
      let calls = 0;
      const sender: Sender = async (m) => (m.id !== id ? { outcome: 'delivered' } : ++calls < 3 ? { outcome: 'retryable', detail: 'HTTP 503' } : { outcome: 'delivered', providerMessageId: 'ATXid_1' });
      const worker = new OutboxWorker({ store, clock, senders: { sms: sender }, backoff: FAST });
      await worker.tick();
      const afterFirst = await statusOf(id);
      assert.equal(afterFirst.status, 'pending');
      assert.ok(afterFirst.next_attempt_at > clock.now().toISOString(), 'next attempt is in the future');
      assert.equal(await worker.tick(), 0, 'nothing is due before the backoff elapses');
      clock.advance(60_000);
      await worker.tick();
      clock.advance(60_000);
      await worker.tick();
      const done = await statusOf(id);
      assert.equal(done.status, 'delivered');
      assert.equal(done.provider_message_id, 'ATXid_1');
      const attempts = await store.db.selectFrom('outbox_attempts').select(['attempt', 'outcome']).where('message_id', '=', id).orderBy('attempt').execute();
      assert.deepEqual(attempts.map((a) => a.outcome), ['retryable', 'retryable', 'delivered']);
    });

    test('a final failure is not retried, and retries stop at the limit', async () => {
      const clock = new ManualClock('2026-05-02T00:00:00Z');
      const bad = (await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('bad-number'))))!;
      const flaky = (await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('always-503', { attemptsMax: 2 }))))!;
      const sender: Sender = async (m) => (m.id === bad ? { outcome: 'failed', detail: '403 InvalidPhoneNumber' } : { outcome: 'retryable', detail: 'HTTP 503' });
      const worker = new OutboxWorker({ store, clock, senders: { sms: sender }, backoff: FAST });
      for (let i = 0; i < 4; i++) { await worker.tick(); clock.advance(60_000); }
      assert.equal((await statusOf(bad)).status, 'failed');
      assert.equal((await statusOf(bad)).last_error, '403 InvalidPhoneNumber');
      assert.equal((await statusOf(bad)).attempts, 1);
      assert.equal((await statusOf(flaky)).status, 'failed');
      assert.equal((await statusOf(flaky)).attempts, 2);
    });

    test('a worker that dies between claim and acknowledgement loses nothing and causes no duplicate', async () => {
      const clock = new ManualClock('2026-05-03T00:00:00Z');
      const id = (await store.db.transaction().execute((trx) => enqueueMessage(trx, clock.now(), sms('crash'))))!;
      // Worker A claims, then "dies": it never sends and never completes.
      const claimedByA = (await claimDue(store, 'A', clock.now(), 30_000, 10)).find((m) => m.id === id)!;
      assert.ok(claimedByA);
      const delivered: string[] = [];
      const workerB = new OutboxWorker({ store, clock, senders: { sms: async (m) => { delivered.push(m.id); return { outcome: 'delivered' }; } }, workerId: 'B', leaseMs: 30_000 });
      await workerB.tick();
      assert.deepEqual(delivered.filter((d) => d === id), [], 'the lease still belongs to A');
      clock.advance(31_000);
      await workerB.tick();
      await workerB.tick();
      assert.deepEqual(delivered.filter((d) => d === id), [id]);
      // A comes back late and reports: the lease is gone, so the record does not change.
      const late = await completeDelivery(store, claimedByA, 'A', clock.now(), clock.now(), { outcome: 'retryable', detail: 'late' }, FAST);
      assert.equal(late.leaseHeld, false);
      assert.equal((await statusOf(id)).status, 'delivered');
    });
  });
}

const pgCase = ENGINES.find((e) => e.engine === 'postgres')!;
describe('outbox with several processes on postgres', { skip: pgCase.skip }, () => {
  test('three workers with their own connection pools deliver 1,000 messages exactly once each', async () => {
    const store = await openTestStore('postgres');
    try {
      const businessId = (await aBusiness(testCtx(store))).id;
      const clock = new ManualClock('2026-06-01T00:00:00Z');
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 1000; i++) await enqueueMessage(trx, clock.now(), { businessId, channel: 'webhook', kind: 'payment', dedupeKey: `m${i}`, recipient: 'https://biller.example/cb', payload: { i } });
      });
      const deliveries = new Map<string, number>();
      const processes = [0, 1, 2].map(() => openStore(store.shareableUrl, { poolSize: 3 }));
      try {
        const workers = processes.map((p, n) => new OutboxWorker({
          store: p, clock, workerId: `proc-${n}`, batchSize: 25,
          senders: { webhook: async (m) => { deliveries.set(m.id, (deliveries.get(m.id) ?? 0) + 1); await new Promise((r) => setImmediate(r)); return { outcome: 'delivered' }; } },
        }));
        const drain = async (w: OutboxWorker) => { while ((await w.tick()) > 0) { /* keep claiming until none are due */ } };
        await Promise.all(workers.map(drain));
      } finally {
        await Promise.all(processes.map((p) => p.close()));
      }
      assert.equal(deliveries.size, 1000);
      assert.deepEqual([...new Set(deliveries.values())], [1]);
      const pending = await store.db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'delivered').executeTakeFirstOrThrow();
      assert.equal(Number(pending.n), 0);
    } finally {
      await store.dispose();
    }
  });
});
