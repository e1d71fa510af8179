import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { AfricasTalkingSimulator } from '../../src/notify/sms/africastalking/simulator.js';
import { LogSmsAdapter } from '../../src/notify/sms/log-adapter.js';
import { smsSender } from '../../src/notify/sms/sms-sender.js';
import { renderTemplate, templateText } from '../../src/notify/templates.js';
import { bearer, TEST_KEYS, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

test('a business can override a template in its own folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'templates-'));
  try {
    mkdirSync(join(dir, 'biz_1', 'sms', 'sw'), { recursive: true });
    writeFileSync(join(dir, 'biz_1', 'sms', 'sw', 'invoice.txt'), 'Shule yetu: {{customer_name}}, karo {{amount}}.');
    assert.equal(renderTemplate(templateText('sms', 'invoice', 'sw', 'biz_1', dir), { customer_name: 'Amina', amount: 'KES 5,000.00' }), 'Shule yetu: Amina, karo KES 5,000.00.');
    assert.match(templateText('sms', 'invoice', 'sw', 'biz_2', dir), /^\{\{business_name\}\}: Mpendwa/, 'other businesses keep the default');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const { engine, skip } of ENGINES) {
  describe(`per-business notification settings on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    let at: AfricasTalkingSimulator;
    before(async () => {
      store = await openTestStore(engine);
      h = await testApp(store);
      at = new AfricasTalkingSimulator({ username: 'schoolco', apiKey: 'school-key' });
      await at.start();
    });
    after(async () => { await at?.stop(); await h?.app.close(); await store?.dispose(); });

    test('a business’s own Africa’s Talking account and reminder hour are used; its key is sealed and never read back', async () => {
      const put = await h.app.inject({ method: 'PUT', url: '/api/admin/notifications', headers: bearer(h.adminToken), payload: {
        sms_provider: 'africastalking', at_username: 'schoolco', at_api_key: 'school-key', at_sender_id: 'SCHOOL', at_base_url: at.baseUrl, reminder_hour: 18,
      } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().has_at_api_key, true);
      assert.equal(JSON.stringify(put.json()).includes('school-key'), false);
      const raw = await store.db.selectFrom('notification_settings').selectAll().where('business_id', '=', h.business.id).executeTakeFirstOrThrow();
      assert.equal(JSON.stringify(raw).includes('school-key'), false);
      assert.equal((await h.app.inject({ method: 'PUT', url: '/api/admin/notifications', headers: bearer(h.adminToken), payload: { reminder_hour: 24 } })).statusCode, 400);
      assert.equal((await h.app.inject({ method: 'PUT', url: '/api/admin/notifications', headers: bearer(h.staffToken), payload: { reminder_hour: 8 } })).statusCode, 403);

      const created = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: {
        customer: { account_reference: 'PUPIL-9', name: 'Amina', phone: '0712000999' }, name: 'Term 2 fees', due_date: '2026-03-31', items: [{ name: 'Fees', unit_price: '5000' }],
      } });
      assert.equal(created.statusCode, 201, created.body);
      const reminders = await store.db.selectFrom('outbox_messages').select('next_attempt_at').where('kind', '=', 'reminder').where('business_id', '=', h.business.id).orderBy('next_attempt_at').execute();
      assert.deepEqual(reminders.map((r) => r.next_attempt_at), ['2026-03-24T15:00:00.000Z', '2026-03-28T15:00:00.000Z', '2026-03-31T15:00:00.000Z'], '18:00 in Nairobi');

      const platform = new LogSmsAdapter();
      const worker = new OutboxWorker({ store, clock: h.ctx.clock, channels: ['sms'], senders: { sms: smsSender(store, platform, () => h.ctx.clock.now(), TEST_KEYS) } });
      await worker.tick();
      assert.equal(platform.sent.length, 0, 'not the platform provider');
      assert.equal(at.received.length, 1);
      assert.equal(at.received[0]!.from, 'SCHOOL');
      assert.equal(at.received[0]!.to, '+254712000999');
    });
  });
}
