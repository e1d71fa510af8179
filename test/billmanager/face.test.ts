import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { verifyWebhook } from '../../src/notify/webhook/signature.js';
import { webhookSender } from '../../src/services/billmanager/payment-push.js';
import { receivePayment } from '../../src/services/payments/receive-payment.js';
import { TEST_KEYS, testApp } from '../helpers/app.js';
import { open } from '../../src/security/secret-box.js';
import { startReceiver } from '../helpers/receiver.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';
import { billerWithApp, bm, invoice, optInBody, tokenFor } from './helpers.js';

for (const { engine, skip } of ENGINES) {
  describe(`Bill Manager face on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });
    beforeEach(() => { process.env.ALLOW_PRIVATE_CALLBACK_URLS = '1'; });
    afterEach(() => { delete process.env.ALLOW_PRIVATE_CALLBACK_URLS; });

    const outbox = (businessId: string) => store.db.selectFrom('outbox_messages').selectAll().where('business_id', '=', businessId).orderBy('id').execute();
    const invoicesOf = (businessId: string) => store.db.selectFrom('invoices').selectAll().where('business_id', '=', businessId).execute();

    async function optedIn(callbackUrl = 'http://127.0.0.1:9/cb') {
      const biller = await billerWithApp(h.ctx);
      const token = await tokenFor(h.app, biller.consumerKey, biller.consumerSecret);
      const call = bm(h.app, token);
      const res = await call('optin', optInBody(biller.shortcode, callbackUrl));
      assert.equal(res.statusCode, 200, res.body);
      return { ...biller, token, call, appKey: res.json().app_key as string };
    }

    test('the token flow answers as Daraja does, and every call needs a live token', async () => {
      const biller = await billerWithApp(h.ctx);
      const basic = `Basic ${Buffer.from(`${biller.consumerKey}:${biller.consumerSecret}`).toString('base64')}`;
      const good = await h.app.inject({ url: '/oauth/v1/generate?grant_type=client_credentials', headers: { authorization: basic } });
      assert.equal(good.statusCode, 200);
      assert.equal(good.json().expires_in, '3599');
      assert.match(good.json().access_token, /^[A-Za-z0-9]{28}$/);
      assert.match(String(good.headers['content-type']), /application\/json/);
      const post = await h.app.inject({ method: 'POST', url: '/oauth/v1/generate?grant_type=client_credentials', headers: { authorization: basic } });
      assert.equal(post.statusCode, 200);
      const bad = await h.app.inject({ url: '/oauth/v1/generate?grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${biller.consumerKey}:nope`).toString('base64')}` } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().errorCode, '400.008.01');
      assert.ok(bad.json().requestId);
      const noToken = await bm(h.app, 'nope')('optin', optInBody(biller.shortcode, 'http://127.0.0.1:9/cb'));
      assert.equal(noToken.statusCode, 401);
      assert.deepEqual(Object.keys(noToken.json()).sort(), ['errorCode', 'errorMessage', 'requestId']);
      assert.equal(noToken.json().errorCode, '404.001.03');
      h.ctx.clock.advance(3600_000);
      const expired = await bm(h.app, good.json().access_token)('optin', optInBody(biller.shortcode, 'http://127.0.0.1:9/cb'));
      assert.equal(expired.statusCode, 401);
    });

    test('opt-in accepts the spellings clients send, keeps its app_key, and names bad fields', async () => {
      const b = await optedIn();
      assert.match(b.appKey, /^AG_\d{8}_[0-9A-F]{20}$/);
      const again = await b.call('optin', { shortcode: Number(b.shortcode), Email: 'x@y.co.ke', officialContact: 710000000, sendReminders: 0, callbackurl: 'http://127.0.0.1:9/other' });
      assert.equal(again.json().app_key, b.appKey);
      assert.deepEqual(Object.keys((await b.call('change-optin-details', optInBody(b.shortcode, 'http://127.0.0.1:9/cb'))).json()).sort(), ['rescode', 'resmsg']);
      const bad = await b.call('optin', { shortcode: '12', email: 'nope', officialContact: '07', sendReminders: '2', callbackurl: 'ftp://x' });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.json().rescode, '400');
      assert.deepEqual(bad.json().errors.map((e: { field: string }) => e.field), ['shortcode', 'email', 'officialContact', 'sendReminders', 'callbackurl']);
      const notJpeg = await b.call('optin', { ...optInBody(b.shortcode, 'http://127.0.0.1:9/cb'), logo: Buffer.from('GIF89a').toString('base64') });
      assert.equal(notJpeg.json().errors[0].field, 'logo');
      delete process.env.ALLOW_PRIVATE_CALLBACK_URLS;
      const privateUrl = await b.call('optin', optInBody(b.shortcode, 'http://10.0.0.5/cb'));
      assert.equal(privateUrl.statusCode, 400);
      assert.match(privateUrl.json().Status_Message, /private/);
      const other = await billerWithApp(h.ctx);
      const notMine = await b.call('optin', optInBody(other.shortcode, 'https://biller.example/cb'));
      assert.equal(notMine.statusCode, 403);
    });

    test('no invoice before opt-in; a single invoice creates the account, its SMS and its reminders', async () => {
      h.ctx.clock.set('2026-04-01T06:00:00Z');
      const fresh = await billerWithApp(h.ctx);
      const early = await bm(h.app, await tokenFor(h.app, fresh.consumerKey, fresh.consumerSecret))('single-invoicing', invoice('E1'));
      assert.equal(early.statusCode, 403);
      const b = await optedIn();
      const res = await b.call('single-invoicing', invoice('9932340', { amount: 800, invoiceItems: [{ item_name: 'food', amount: 700 }, { itemName: 'water', amount: '100.00' }] }));
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { Status_Message: 'Invoice sent successfully', resmsg: 'Success', rescode: '200' });
      const [created] = await invoicesOf(b.business.id);
      assert.equal(created!.total_minor, 80_000);
      assert.equal(created!.due_date, '2026-04-30');
      assert.equal(created!.external_ref, '9932340');
      const messages = await outbox(b.business.id);
      assert.deepEqual(messages.map((m) => m.kind), ['invoice', 'reminder', 'reminder', 'reminder']);
      assert.equal(messages[0]!.recipient, '+254722000000');
      // 7 and 3 days before and on the due date, 09:00 in Nairobi (06:00 UTC).
      assert.deepEqual(messages.slice(1).map((m) => m.next_attempt_at), ['2026-04-23T06:00:00.000Z', '2026-04-27T06:00:00.000Z', '2026-04-30T06:00:00.000Z']);
      const repeat = await b.call('single-invoicing', invoice('9932340', { amount: 800, invoiceItems: [{ item_name: 'food', amount: 700 }, { itemName: 'water', amount: '100.00' }] }));
      assert.equal(repeat.statusCode, 200);
      assert.equal((await outbox(b.business.id)).length, 4);
      const changed = await b.call('single-invoicing', invoice('9932340', { amount: '900', invoiceItems: [] }));
      assert.equal(changed.statusCode, 409);
      assert.equal(changed.json().errors[0].field, 'externalReference');
      assert.equal((await invoicesOf(b.business.id)).length, 1);
    });

    test('every invoice field is checked, with the field named and nothing written', async () => {
      const b = await optedIn();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ billedPhoneNumber: '0733000000' }, 'billedPhoneNumber'],
        [{ billedPhoneNumber: '12345' }, 'billedPhoneNumber'],
        [{ amount: '1,000', invoiceItems: [] }, 'amount'],
        [{ amount: '800.123' }, 'amount'],
        [{ amount: '-800', invoiceItems: [] }, 'amount'],
        [{ amount: '900' }, 'amount'],
        [{ dueDate: '2021-13-45' }, 'dueDate'],
        [{ dueDate: 'tomorrow' }, 'dueDate'],
        [{ externalReference: '' }, 'externalReference'],
        [{ billedFullName: 'x'.repeat(201) }, 'billedFullName'],
        [{ accountReference: undefined }, 'accountReference'],
        [{ invoiceItems: [{ amount: '800' }], amount: '800' }, 'invoiceItems[0].itemName'],
      ];
      for (const [overrides, field] of cases) {
        const res = await b.call('single-invoicing', invoice('BAD', overrides));
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.equal(res.json().errors[0].field, field, res.body);
        assert.equal(res.json().rescode, '400');
      }
      const broken = await h.app.inject({ method: 'POST', url: '/v1/billmanager-invoice/single-invoicing', headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/json' }, payload: '{"externalReference": "#9932340", "billedFullName": "John Doe" "amount": "800"}' });
      assert.equal(broken.statusCode, 400);
      assert.equal(broken.json().rescode, '400');
      for (const due of ['2021-10-12', '2021-09-15 00:00:00.00', '2024-01-31 23:59:00']) {
        const res = await b.call('single-invoicing', invoice(`D-${due}`, { dueDate: due }));
        assert.equal(res.statusCode, 200, res.body);
      }
      assert.equal((await invoicesOf(b.business.id)).length, 3);
    });

    test('a bulk of 1,000 is all or nothing, as a bare array or wrapped, on the doubled path too', async () => {
      const b = await optedIn();
      const many = Array.from({ length: 1000 }, (_, i) => invoice(`B${i}`, { accountReference: `ACC${i % 300}` }));
      const oneBad = many.map((inv, i) => (i === 417 ? { ...inv, billedPhoneNumber: '0733000000' } : inv));
      const rejected = await b.call('bulk-invoicing', oneBad);
      assert.equal(rejected.statusCode, 400);
      assert.deepEqual(rejected.json().errors, [{ index: 417, field: 'billedPhoneNumber', message: '0733000000 is not a Safaricom number' }]);
      assert.equal((await invoicesOf(b.business.id)).length, 0);
      const res = await h.app.inject({ method: 'POST', url: '/v1/billmanager-invoice/v1/billmanager-invoice/bulk-invoicing', headers: { authorization: `Bearer ${b.token}`, 'content-type': 'application/json' }, payload: JSON.stringify({ invoices: many }) });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await invoicesOf(b.business.id)).length, 1000);
      const customers = await store.db.selectFrom('customers').select('id').where('business_id', '=', b.business.id).execute();
      assert.equal(customers.length, 300);
      assert.equal((await b.call('bulk-invoicing', Array.from({ length: 1001 }, (_, i) => invoice(`X${i}`)))).statusCode, 400);
    });

    test('cancel: single and bulk in both shapes, paid gets the seed 409, repeats succeed, reminders stop', async () => {
      const b = await optedIn();
      for (const ref of ['C1', 'C2', 'C3', 'C4']) assert.equal((await b.call('single-invoicing', invoice(ref))).statusCode, 200);
      const single = await b.call('cancel-single-invoice', { externalReference: 'C1' });
      assert.deepEqual(single.json(), { Status_Message: 'Invoice cancelled successfuly.', resmsg: 'Success', rescode: '200', errors: [] });
      assert.equal((await b.call('cancel-single-invoice', [{ externalReference: 'C1' }])).statusCode, 200);
      assert.equal((await b.call('cancel-bulk-invoices', [{ externalReference: 'C2' }])).statusCode, 200);
      assert.equal((await b.call('cancel-bulk-invoices', { externalReferences: ['C3'] })).statusCode, 200);
      await receivePayment(h.ctx, b.business.id, { rail: 'mpesa_c2b', providerRef: 'PAIDC4X001', amountMinor: 100, currency: 'KES', accountRef: 'ACC-C4', shortcode: b.shortcode });
      const paid = await b.call('cancel-bulk-invoices', [{ externalReference: 'C4' }]);
      assert.equal(paid.statusCode, 409);
      assert.equal(paid.json().Status_Message, 'partially or fully paid invoices cannot be cancelled.');
      assert.equal(paid.json().resmsg, 'Conflict');
      assert.equal(paid.json().rescode, '409');
      assert.equal((await b.call('cancel-single-invoice', { externalReference: 'NOPE' })).statusCode, 404);
      const reminders = (await outbox(b.business.id)).filter((m) => m.kind === 'reminder');
      const c1 = (await invoicesOf(b.business.id)).find((i) => i.external_ref === 'C1')!;
      assert.ok(reminders.filter((m) => m.dedupe_key.includes(c1.id)).every((m) => m.status === 'cancelled'));
    });

    test('another business cannot invoice, cancel or reconcile on a shortcode it does not own', async () => {
      const owner = await optedIn();
      assert.equal((await owner.call('single-invoicing', invoice('OWN1'))).statusCode, 200);
      const intruder = await optedIn();
      const cancel = await intruder.call('cancel-single-invoice', { externalReference: 'OWN1' }, { app_key: owner.appKey });
      assert.equal(cancel.statusCode, 403);
      const viaField = await intruder.call('cancel-single-invoice', { externalReference: 'OWN1', shortcode: owner.shortcode });
      assert.equal(viaField.statusCode, 403);
      const ownOnly = await intruder.call('cancel-single-invoice', { externalReference: 'OWN1' });
      assert.equal(ownOnly.statusCode, 404);
      await receivePayment(h.ctx, owner.business.id, { rail: 'mpesa_c2b', providerRef: 'OWNPAY0001', amountMinor: 80_000, currency: 'KES', accountRef: 'ACC-OWN1', shortcode: owner.shortcode });
      const ack = await intruder.call('reconciliation', { paymentDate: '2026-04-02', paidAmount: '800', accountReference: 'ACC-OWN1', transactionId: 'OWNPAY0001', phoneNumber: '0722000000', fullName: 'John Doe', invoiceName: 'Jentrys', externalReference: 'OWN1' });
      assert.equal(ack.statusCode, 404);
      assert.equal((await invoicesOf(owner.business.id))[0]!.status, 'paid');
    });

    test('the whole loop: payment pushed to the biller with a valid signature, acknowledged, receipt queued', async () => {
      const receiver = await startReceiver();
      try {
        const b = await optedIn(receiver.url);
        assert.equal((await b.call('single-invoicing', invoice('LOOP1'))).statusCode, 200);
        await receivePayment(h.ctx, b.business.id, { rail: 'mpesa_c2b', providerRef: 'RKTQDM7W6S', amountMinor: 80_000, currency: 'KES', accountRef: 'acc-loop1', payerPhone: '254722000000', shortcode: b.shortcode });
        const worker = new OutboxWorker({ store, clock: h.ctx.clock, senders: { webhook: webhookSender(store, TEST_KEYS, () => Math.floor(h.ctx.clock.now().getTime() / 1000)) } });
        await worker.tick();
        assert.equal(receiver.received.length, 1);
        const push = receiver.received[0]!;
        assert.deepEqual(JSON.parse(push.body), { transactionId: 'RKTQDM7W6S', paidAmount: '800', msisdn: '254722000000', dateCreated: h.ctx.clock.now().toISOString().slice(0, 10), accountReference: 'acc-loop1', shortCode: b.shortcode });
        const optin = await store.db.selectFrom('billmanager_optins').select('webhook_secret').where('shortcode', '=', b.shortcode).executeTakeFirstOrThrow();
        assert.ok(!optin.webhook_secret.startsWith('whsec_'), 'the signing secret is sealed at rest');
        const secret = open(TEST_KEYS, optin.webhook_secret);
        assert.equal(verifyWebhook(secret, push.headers, push.body, Math.floor(h.ctx.clock.now().getTime() / 1000)), true);
        assert.equal(verifyWebhook(secret, push.headers, push.body.replace('800', '8000'), Math.floor(h.ctx.clock.now().getTime() / 1000)), false);
        const ackBody = { paymentDate: '2026-04-02', paidAmount: '800', accountReference: 'acc-loop1', transactionId: 'RKTQDM7W6S', phoneNumber: '0722000000', fullName: 'John Doe', invoiceName: 'Jentrys', externalReference: 'LOOP1' };
        const wrong = await b.call('reconciliation', { ...ackBody, paidAmount: '700' });
        assert.equal(wrong.statusCode, 400);
        assert.equal(wrong.json().errors[0].field, 'paidAmount');
        assert.deepEqual((await b.call('reconciliation', ackBody)).json(), { resmsg: 'Success', rescode: '200' });
        assert.equal((await b.call('reconciliation', ackBody)).statusCode, 200);
        const receipts = (await outbox(b.business.id)).filter((m) => m.kind === 'receipt');
        assert.equal(receipts.length, 1);
        assert.equal(receipts[0]!.recipient, '+254722000000');
        const reminders = (await outbox(b.business.id)).filter((m) => m.kind === 'reminder');
        assert.ok(reminders.length > 0 && reminders.every((m) => m.status === 'cancelled'), 'a paid invoice gets no reminders');
      } finally {
        await receiver.close();
      }
    });

    test('a receiver failing 4 times gets one success; one always failing gets exactly 5 attempts', async () => {
      for (const [statusFor, expectedStatus, expectedCalls] of [[(n: number) => (n <= 4 ? 503 : 200), 'delivered', 5], [() => 500, 'failed', 5]] as const) {
        const receiver = await startReceiver(statusFor);
        try {
          const b = await optedIn(receiver.url);
          await receivePayment(h.ctx, b.business.id, { rail: 'mpesa_c2b', providerRef: `RTRY${expectedStatus.toUpperCase()}`, amountMinor: 5_000, currency: 'KES', accountRef: 'unknown', shortcode: b.shortcode });
          const worker = new OutboxWorker({ store, clock: h.ctx.clock, senders: { webhook: webhookSender(store, TEST_KEYS, () => Math.floor(h.ctx.clock.now().getTime() / 1000)) } });
          for (let i = 0; i < 8; i++) { await worker.tick(); h.ctx.clock.advance(2 * 3600_000); }
          assert.equal(receiver.received.length, expectedCalls);
          assert.equal(receiver.received.filter((r) => r.status === 200).length, expectedStatus === 'delivered' ? 1 : 0);
          const push = (await outbox(b.business.id)).find((m) => m.kind === 'billmanager_payment')!;
          assert.equal(push.status, expectedStatus);
          const attempts = await store.db.selectFrom('outbox_attempts').select('outcome').where('message_id', '=', push.id).execute();
          assert.equal(attempts.length, 5);
        } finally {
          await receiver.close();
        }
      }
    });
  });
}
