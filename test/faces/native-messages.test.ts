import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { enqueueMessage } from '../../src/jobs/outbox/enqueue.js';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { bearer, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`outbox over the admin API on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    test('a failed callback is listed with its reason and can be replayed by an admin until it is delivered', async () => {
      const id = (await store.db.transaction().execute((trx) => enqueueMessage(trx, h.ctx.clock.now(), {
        businessId: h.business.id, channel: 'webhook', kind: 'billmanager_payment', dedupeKey: 'push-1', recipient: 'https://biller.example/cb', payload: {},
      })))!;
      let up = false;
      const worker = new OutboxWorker({ store, clock: h.ctx.clock, senders: { webhook: async () => (up ? { outcome: 'delivered' } : { outcome: 'failed', detail: 'HTTP 410 Gone' }) } });
      await worker.tick();
      const failed = await h.app.inject({ url: '/api/admin/messages?status=failed', headers: bearer(h.staffToken) });
      assert.deepEqual(failed.json().messages.map((m: { id: string; last_error: string }) => [m.id, m.last_error]), [[id, 'HTTP 410 Gone']]);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/messages/${id}/retry`, headers: bearer(h.staffToken) })).statusCode, 403);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/messages/${id}/retry`, headers: bearer(h.adminToken) })).statusCode, 200);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/messages/${id}/retry`, headers: bearer(h.adminToken) })).statusCode, 409);
      up = true;
      await worker.tick();
      const delivered = await h.app.inject({ url: '/api/admin/messages?status=delivered', headers: bearer(h.adminToken) });
      assert.deepEqual(delivered.json().messages.map((m: { id: string }) => m.id), [id]);
    });
  });
}
