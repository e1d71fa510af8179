import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors.js';
import { enqueueMessage } from '../../src/jobs/outbox/enqueue.js';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { AfricasTalkingAdapter } from '../../src/notify/sms/africastalking/client.js';
import { AfricasTalkingSimulator } from '../../src/notify/sms/africastalking/simulator.js';
import { countSegments } from '../../src/notify/sms/segments.js';
import { smsSender } from '../../src/notify/sms/sms-sender.js';
import { renderTemplate, templateText } from '../../src/notify/templates.js';
import { receivePayment } from '../../src/services/payments/receive-payment.js';
import { aBusiness, anInvoice } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';
import { invoiceMessages } from '../../src/services/invoices/invoice-messages.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/config.js';
import { TEST_KEYS } from '../helpers/app.js';
import { enqueueMessages } from '../../src/jobs/outbox/enqueue.js';

const vars = { business_name: 'Acme Water', customer_name: 'Joan', invoice_name: 'Water March', invoice_number: 'INV-000007', amount: 'KES 1,200.00', account_ref: 'G70', paybill: '600000', due_date: '2026-03-31', pay_url: 'http://pay.example/i/abc', momo_line: ' Or MTN MoMo: dial *165*3*12345678*1#' };

test('templates render in English and Swahili, and a missing value is an error, not a hole', () => {
  const en = renderTemplate(templateText('sms', 'invoice', 'en'), vars);
  assert.match(en, /Pay via M-PESA Paybill 600000, Account G70/);
  const sw = renderTemplate(templateText('sms', 'invoice', 'sw'), vars);
  assert.match(sw, /Lipa kupitia M-PESA Paybill 600000, Akaunti G70/);
  assert.match(renderTemplate(templateText('sms', 'reminder', 'fr'), vars), /^Acme Water: Reminder/, 'unknown languages fall back to English');
  assert.throws(() => renderTemplate(templateText('sms', 'receipt', 'en'), vars), (e: unknown) => e instanceof AppError && /transaction_id/.test(e.message));
  for (const kind of ['invoice', 'reminder'] as const) {
    for (const language of ['en', 'sw']) assert.ok(countSegments(renderTemplate(templateText('sms', kind, language), vars)).segments <= 2, `${language}/${kind} fits two segments`);
  }
});

test('segments follow GSM-7 and UCS-2 limits', () => {
  assert.deepEqual(countSegments('a'.repeat(160)), { encoding: 'GSM-7', length: 160, segments: 1 });
  assert.deepEqual(countSegments('a'.repeat(161)), { encoding: 'GSM-7', length: 161, segments: 2 });
  assert.equal(countSegments('€'.repeat(80)).segments, 1, 'extension characters count twice: 160 septets');
  assert.deepEqual(countSegments(`${'a'.repeat(69)}✓`), { encoding: 'UCS-2', length: 70, segments: 1 });
  assert.equal(countSegments('✓'.repeat(71)).segments, 2);
});

for (const { engine, skip } of ENGINES) {
  describe(`SMS through the outbox to Africa's Talking on ${engine}`, { skip }, () => {
    let store: TestStore;
    let at: AfricasTalkingSimulator;
    before(async () => {
      store = await openTestStore(engine);
      at = new AfricasTalkingSimulator({ username: 'acme', apiKey: 'at-key' });
      await at.start();
    });
    after(async () => { await at?.stop(); await store?.dispose(); });

    test('an invoice SMS reaches the provider; a 500 is retried, a refused number is failed for good; paid invoices get no reminder', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const adapter = new AfricasTalkingAdapter({ username: 'acme', apiKey: 'at-key', senderId: 'ACME', baseUrl: at.baseUrl });
      const worker = new OutboxWorker({ store, clock: ctx.clock, senders: { sms: smsSender(store, adapter) }, backoff: { baseMs: 1000, capMs: 5000 } });
      const { invoice, customer } = await anInvoice(ctx, biz.id, { accountRef: 'SMS-1', customer: { accountRef: 'SMS-1', name: 'Joan', phone: '+254712000001' } });
      const messageContext = { businessName: biz.name, timezone: biz.timezone, language: 'sw', paybill: '600000', publicUrl: 'http://pay.example', remindersOn: true };
      await store.db.transaction().execute((trx) => enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), invoice, customer, messageContext)));
      at.failNext(1);
      await worker.tick();
      assert.equal(at.received.length, 0);
      ctx.clock.advance(10_000);
      await worker.tick();
      assert.equal(at.received.length, 1);
      assert.equal(at.received[0]!.to, '+254712000001');
      assert.equal(at.received[0]!.from, 'ACME');
      assert.match(at.received[0]!.message, /Mpendwa Joan, ankara yako School fees ya KES 800\.00/);
      const sent = await store.db.selectFrom('outbox_messages').selectAll().where('dedupe_key', '=', `invoice:${invoice.id}:sms`).executeTakeFirstOrThrow();
      assert.equal(sent.status, 'delivered');
      assert.match(sent.provider_message_id!, /^ATXid_/);

      const app = await buildApp({ store, keys: TEST_KEYS, config: { ...loadConfig({}), databaseUrl: store.url }, clock: ctx.clock, logLevel: false });
      for (const status of ['Sent', 'Success']) {
        const dlr = await app.inject({ method: 'POST', url: '/api/callbacks/sms/delivery-reports', headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ id: sent.provider_message_id!, status, phoneNumber: '+254712000001', networkCode: '63902', retryCount: '0' }).toString() });
        assert.deepEqual(dlr.json(), { received: true, matched: true });
      }
      const reports = await store.db.selectFrom('sms_delivery_reports').select(['status', 'final', 'business_id']).where('message_id', '=', sent.id).orderBy('received_at').execute();
      assert.deepEqual(reports.map((r) => [r.status, r.final, r.business_id]), [['Sent', 0, biz.id], ['Success', 1, biz.id]]);
      assert.equal((await app.inject({ method: 'POST', url: '/api/callbacks/sms/delivery-reports', payload: { id: 'x', status: 'Bogus' } })).statusCode, 400);
      await app.close();

      at.invalidNumbers.add('+254712000002');
      await store.db.transaction().execute((trx) => enqueueMessage(trx, ctx.clock.now(), { businessId: biz.id, channel: 'sms', kind: 'receipt', dedupeKey: 'bad-number', recipient: '+254712000002', payload: { template: 'receipt', vars: { ...vars, transaction_id: 'X', payment_date: '2026-03-02' } } }));
      await worker.tick();
      ctx.clock.advance(10_000);
      await worker.tick();
      const bad = await store.db.selectFrom('outbox_messages').selectAll().where('dedupe_key', '=', 'bad-number').executeTakeFirstOrThrow();
      assert.equal(bad.status, 'failed');
      assert.equal(bad.attempts, 1);
      assert.match(bad.last_error!, /403 InvalidPhoneNumber/);

      await receivePayment(ctx, biz.id, { rail: 'cash', providerRef: 'CASH-SMS-1', amountMinor: 80_000, currency: 'KES', accountRef: 'SMS-1' });
      ctx.clock.set('2026-03-31T06:00:00Z');
      const before = at.received.length;
      await worker.tick();
      assert.equal(at.received.length, before, 'no reminder for a paid invoice');
      const reminders = await store.db.selectFrom('outbox_messages').select('status').where('kind', '=', 'reminder').where('business_id', '=', biz.id).execute();
      assert.ok(reminders.length > 0 && reminders.every((r) => r.status === 'cancelled'));
    });
  });
}
