import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { PDFParse } from 'pdf-parse';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import type { SmsAdapter } from '../../src/notify/sms/adapter.js';
import { smsSender } from '../../src/notify/sms/sms-sender.js';
import { MomoSimulator } from '../../src/rails/momo/momo-simulator.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { momoSender } from '../../src/services/momo/momo-sender.js';
import { ensureMomoInvoice } from '../../src/services/momo/momo-invoices.js';
import { pollDueMomoRequests } from '../../src/services/momo/momo-poll-job.js';
import { settleMomoRequest } from '../../src/services/momo/settle-momo.js';
import { bearer, TEST_KEYS, testApp } from '../helpers/app.js';
import { aPayment } from '../helpers/fixtures.js';
import { decodeQr } from '../helpers/qr.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const CREDS = { subscriptionKey: 'momo-sub-key', apiUser: randomUUID(), apiKey: 'momo-api-key' };

for (const { engine, skip } of ENGINES) {
  describe(`MTN MoMo rail over its simulator on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    let sim: MomoSimulator;
    let worker: OutboxWorker;
    const sms: Array<{ to: string; text: string }> = [];
    const capture: SmsAdapter = { name: 'capture', send: async (m) => { sms.push(m); return { outcome: 'sent', providerMessageId: `sms-${sms.length}`, detail: 'ok' }; } };
    const publicUrl = () => h.app.services.config.publicUrl;

    before(async () => {
      store = await openTestStore(engine);
      h = await testApp(store);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      h.app.services.config.publicUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      sim = new MomoSimulator(CREDS, () => h.ctx.clock.now().getTime());
      await sim.start();
      worker = new OutboxWorker({ store, clock: h.ctx.clock, senders: { momo: momoSender(store, TEST_KEYS, h.ctx.clock, publicUrl), sms: smsSender(store, capture, () => h.ctx.clock.now(), undefined,
        (businessId, invoiceId) => ensureMomoInvoice(h.ctx, TEST_KEYS, businessId, invoiceId, publicUrl())) } });
      const saved = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/momo', headers: bearer(h.adminToken), payload: {
        subscription_key: CREDS.subscriptionKey, api_user: CREDS.apiUser, api_key: CREDS.apiKey, environment: 'mtnuganda', base_url: sim.baseUrl, payee_msisdn: '256700000001' } });
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual([saved.json().currency, saved.json().ussd_prefix, saved.json().enabled], ['UGX', '*165*3', true]);
    });
    after(async () => { await sim?.stop(); await h?.app.close(); await store?.dispose(); });

    /** Issues an invoice through the API and runs the outbox until its MoMo invoice and SMS are out. */
    const issue = async (ref: string, amount: string, dueDate = '2026-03-20') => {
      const res = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: {
        customer: { account_reference: ref, name: 'Okello', phone: '+256772123456' }, currency: 'UGX', name: 'School fees', due_date: dueDate, items: [{ name: 'Term 1', unit_price: amount }] } });
      assert.equal(res.statusCode, 201, res.body);
      const invoice = res.json() as { id: string };
      while (await worker.tick() > 0) { /* drain */ }
      const row = await store.db.selectFrom('momo_requests').selectAll().where('invoice_id', '=', invoice.id).where('live_slot', '=', 'live').executeTakeFirstOrThrow();
      const token = (await store.db.selectFrom('invoices').select('public_token').where('id', '=', invoice.id).executeTakeFirstOrThrow()).public_token;
      return { invoiceId: invoice.id, token, row };
    };
    const paymentsOf = async (invoiceId: string) => store.db.selectFrom('payments').select(['id', 'provider_ref', 'amount_minor']).where('rail', '=', 'momo').where('target_invoice_id', '=', invoiceId).execute();

    test('an issued invoice gets a MoMo invoice with a payment reference, shown as a USSD string and QR on the page, the PDF and the SMS', async () => {
      const { invoiceId, token, row } = await issue('MOMO-1', '50000');
      assert.equal(row.status, 'pending');
      assert.match(row.payment_reference!, /^\d{8}$/);
      const atMtn = sim.invoices.get(row.id)!;
      assert.deepEqual([atMtn.externalId, atMtn.amount, atMtn.currency], [invoiceId, '50000', 'UGX']);
      const ussd = `*165*3*${row.payment_reference}*1#`;
      const text = sms.find((m) => m.text.includes('School fees'))!.text;
      assert.ok(text.includes(`Or MTN MoMo: dial ${ussd}`), text);

      const page = await h.app.inject({ url: `/i/${token}` });
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(ussd));
      const qr = /alt="QR code of the MoMo USSD string"[^>]*src="data:image\/png;base64,([^"]+)"/.exec(page.body)![1]!;
      assert.equal(decodeQr(Buffer.from(qr, 'base64')), ussd);
      const pdfBytes = (await h.app.inject({ url: `/i/${token}.pdf` })).rawPayload;
      const pdf = (await new PDFParse({ data: pdfBytes }).getText()).text.replace(/\s+/g, ' ');
      assert.ok(pdf.includes(`MTN MoMo: dial ${ussd}`), pdf);
      const pdfImages = (await new PDFParse({ data: pdfBytes }).getImage()).pages.flatMap((p) => p.images);
      assert.deepEqual(pdfImages.map((i) => decodeQr(Buffer.from(i.data))).sort(), [`${publicUrl()}/i/${token}`, ussd].sort(), 'the PDF carries both QR codes');
      const methods = (await h.app.inject({ url: `/api/invoices/${token}/pay` })).json().methods as Array<{ method: string; ussd?: string }>;
      assert.equal(methods.find((m) => m.method === 'momo_ussd')!.ussd, ussd);
      assert.ok(methods.some((m) => m.method === 'momo_rtp'));
    });

    test('an e-invoice SMS whose MoMo reference is still coming waits for it, without spending an attempt', async () => {
      const smsOnly = new OutboxWorker({ store, clock: h.ctx.clock, channels: ['sms'], senders: { sms: smsSender(store, capture, () => h.ctx.clock.now()) } });
      const momoOnly = new OutboxWorker({ store, clock: h.ctx.clock, channels: ['momo'], senders: { momo: momoSender(store, TEST_KEYS, h.ctx.clock, publicUrl) } });
      const res = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: {
        customer: { account_reference: 'MOMO-WAIT', name: 'Akello', phone: '+256772123457' }, currency: 'UGX', name: 'Water', due_date: '2026-03-20', items: [{ name: 'March', unit_price: '9000' }] } });
      const before = sms.length;
      assert.equal(await smsOnly.tick(), 1);
      assert.equal(sms.length, before, 'not sent yet');
      const waiting = await store.db.selectFrom('outbox_messages').select(['status', 'attempts']).where('dedupe_key', '=', `invoice:${res.json().id}:sms`).executeTakeFirstOrThrow();
      assert.deepEqual(waiting, { status: 'pending', attempts: 0 });
      await momoOnly.tick();
      h.ctx.clock.advance(5_000);
      assert.equal(await smsOnly.tick(), 1);
      const reference = (await store.db.selectFrom('momo_requests').select('payment_reference').where('invoice_id', '=', res.json().id).executeTakeFirstOrThrow()).payment_reference;
      assert.ok(sms.at(-1)!.text.includes(`*165*3*${reference}*1#`), sms.at(-1)!.text);
    });

    test('MTN down at issue time: the page still shows (without MoMo), the outbox retries the create under the same reference id', async () => {
      sim.failNext(1_000);
      const res = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: {
        customer: { account_reference: 'MOMO-DOWN', name: 'Nakato', phone: '+256772123458' }, currency: 'UGX', name: 'Water', due_date: '2026-03-20', items: [{ name: 'March', unit_price: '7000' }] } });
      const invoiceId = res.json().id as string;
      await worker.tick();
      const stuck = await store.db.selectFrom('momo_requests').select(['id', 'status']).where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow();
      assert.equal(stuck.status, 'creating');
      const token = (await store.db.selectFrom('invoices').select('public_token').where('id', '=', invoiceId).executeTakeFirstOrThrow()).public_token;
      const page = await h.app.inject({ url: `/i/${token}` });
      assert.equal(page.statusCode, 200);
      assert.equal(page.body.includes('id="momo"'), false);
      sim.failNext(0);
      h.ctx.clock.advance(120_000);
      while (await worker.tick() > 0) { /* drain */ }
      const made = await store.db.selectFrom('momo_requests').selectAll().where('invoice_id', '=', invoiceId).execute();
      assert.deepEqual(made.map((r) => [r.id, r.status]), [[stuck.id, 'pending']], 'one MoMo invoice, under the first reference id');
      assert.equal(sim.invoices.has(stuck.id), true);
      assert.ok(sms.at(-1)!.text.includes(`*165*3*${made[0]!.payment_reference}*1#`), 'the SMS waited for it');
    });

    test('paid by callback (PUT): credited once through the engine, the page shows it paid', async () => {
      const { invoiceId, row } = await issue('MOMO-2', '30000');
      await sim.pay(row.payment_reference!, { callback: 'PUT' });
      assert.equal(sim.callbacks.at(-1)!.status, 200);
      const detail = await getInvoiceDetail(store.db, h.business.id, invoiceId);
      assert.deepEqual([detail.invoice.status, detail.paidMinor], ['paid', 30_000]);
      const payments = await paymentsOf(invoiceId);
      assert.deepEqual(payments.map((p) => [p.provider_ref, Number(p.amount_minor)]), [[row.id, 30_000]]);
      const after = await store.db.selectFrom('momo_requests').select(['status', 'live_slot', 'payment_id']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(after, { status: 'paid', live_slot: null, payment_id: payments[0]!.id });
      const raw = await store.db.selectFrom('mpesa_callbacks').select(['kind', 'outcome']).where('kind', '=', 'momo_callback_put').execute();
      assert.ok(raw.some((c) => c.outcome === 'status paid'));
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('with the callback dropped the poll job finds the payment; a late duplicate callback (POST) credits nothing more', async () => {
      const { invoiceId, row } = await issue('MOMO-3', '20000');
      await sim.pay(row.payment_reference!, { callback: 'none' });
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).paidMinor, 0);
      await pollDueMomoRequests(h.ctx, TEST_KEYS, publicUrl());
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).paidMinor, 0, 'not due for a look yet');
      h.ctx.clock.advance(11_000);
      assert.ok(await pollDueMomoRequests(h.ctx, TEST_KEYS, publicUrl()) >= 1);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).invoice.status, 'paid');
      await sim.resendCallback(row.id, 'POST');
      assert.equal(sim.callbacks.at(-1)!.status, 200);
      // A poll and a callback racing each other are also credited once.
      await Promise.all([settleMomoRequest(h.ctx, TEST_KEYS, row.id), settleMomoRequest(h.ctx, TEST_KEYS, row.id)]);
      assert.equal((await paymentsOf(invoiceId)).length, 1);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).paidMinor, 20_000);
    });

    test('a callback and a poll at the same moment, while the MoMo invoice is still open at our end, credit once', async () => {
      const { invoiceId, row } = await issue('MOMO-4', '15000');
      await sim.pay(row.payment_reference!, { callback: 'none' });
      await Promise.all([
        settleMomoRequest(h.ctx, TEST_KEYS, row.id),
        h.app.inject({ method: 'PUT', url: `/api/callbacks/momo/${row.id}`, payload: { status: 'SUCCESSFUL' } }),
        settleMomoRequest(h.ctx, TEST_KEYS, row.id),
      ]);
      assert.equal((await paymentsOf(invoiceId)).length, 1);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).paidMinor, 15_000);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('cancelling the invoice cancels the MoMo invoice at MTN; paying it another way does too', async () => {
      const { invoiceId, row } = await issue('MOMO-5', '10000');
      const cancelled = await h.app.inject({ method: 'PUT', url: `/api/admin/invoices/${invoiceId}/cancel`, headers: bearer(h.adminToken), payload: { reason: 'duplicate' } });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      while (await worker.tick() > 0) { /* drain */ }
      assert.equal(sim.invoices.get(row.id)!.cancelled, true);
      await pollDueMomoRequests(h.ctx, TEST_KEYS, publicUrl());
      assert.deepEqual(await store.db.selectFrom('momo_requests').select(['status', 'live_slot']).where('id', '=', row.id).executeTakeFirstOrThrow(), { status: 'cancelled', live_slot: null });
      await assert.rejects(sim.pay(row.payment_reference!), /no payable invoice/);

      const other = await issue('MOMO-6', '12000');
      await aPayment(h.ctx, h.business.id, { amountMinor: 12_000, currency: 'UGX', invoiceId: other.invoiceId });
      while (await worker.tick() > 0) { /* drain */ }
      assert.equal(sim.invoices.get(other.row.id)!.cancelled, true, 'paid by M-PESA: the MoMo invoice is withdrawn');
    });

    test('an expired MoMo invoice is replaced when the payer opens the pay page again', async () => {
      const { invoiceId, token, row } = await issue('MOMO-7', '8000', '2026-03-03');
      h.ctx.clock.set(new Date(new Date(row.expires_at).getTime() + 1_000));
      const page = await h.app.inject({ url: `/i/${token}` });
      assert.equal(page.statusCode, 200);
      const old = await store.db.selectFrom('momo_requests').select(['status', 'live_slot']).where('id', '=', row.id).executeTakeFirstOrThrow();
      assert.deepEqual(old, { status: 'expired', live_slot: null });
      const fresh = await store.db.selectFrom('momo_requests').selectAll().where('invoice_id', '=', invoiceId).where('live_slot', '=', 'live').executeTakeFirstOrThrow();
      assert.notEqual(fresh.id, row.id);
      assert.notEqual(fresh.payment_reference, row.payment_reference);
      assert.ok(page.body.includes(`*165*3*${fresh.payment_reference}*1#`));
      assert.ok(!page.body.includes(`*165*3*${row.payment_reference}*1#`));
      await sim.pay(fresh.payment_reference!, { callback: 'POST' });
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).invoice.status, 'paid');
    });

    test('request-to-pay: approved pays the invoice, rejected ends as failed; the status route answers both', async () => {
      const { invoiceId, token } = await issue('MOMO-8', '25000');
      const asked = await h.app.inject({ method: 'POST', url: '/api/payments/momo/request-to-pay', payload: { invoice_id: token, phone_number: '+256772999888', amount: '5000' } });
      assert.equal(asked.statusCode, 202, asked.body);
      const reference = asked.json().reference as string;
      assert.equal(sim.requests.get(reference)!.payer, '256772999888');
      await sim.answer(reference, false, { callback: 'POST' });
      assert.equal((await h.app.inject({ url: `/api/payments/momo/${reference}/status` })).json().status, 'failed');

      const again = (await h.app.inject({ method: 'POST', url: '/api/payments/momo/request-to-pay', payload: { invoice_id: invoiceId, phone_number: '+256772999888' } })).json();
      assert.equal(again.amount_minor, 25_000, 'the balance by default');
      await sim.answer(again.reference, true, { callback: 'none' });
      assert.equal((await h.app.inject({ url: `/api/payments/momo/${again.reference}/status` })).json().status, 'pending', 'asked MTN moments ago: answered from our records');
      h.ctx.clock.advance(3_000);
      const status = (await h.app.inject({ url: `/api/payments/momo/${again.reference}/status` })).json();
      assert.equal(status.status, 'paid');
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoiceId)).invoice.status, 'paid');
      const tooMuch = await h.app.inject({ method: 'POST', url: '/api/payments/momo/request-to-pay', payload: { invoice_id: invoiceId, phone_number: '+256772999888' } });
      assert.equal(tooMuch.statusCode, 409, 'a paid invoice takes no more prompts');
    });

    test('a reminder after the MoMo invoice expired (MTN caps validity at 30 days) carries a fresh reference', async () => {
      const { invoiceId, row } = await issue('MOMO-LATE', '60000', '2026-06-30');
      assert.ok(new Date(row.expires_at).getTime() - h.ctx.clock.now().getTime() <= 30 * 24 * 3600_000, 'capped at 30 days');
      h.ctx.clock.set('2026-06-23T06:00:01Z'); // the 7-days-before reminder is due (09:00 Nairobi)
      await pollDueMomoRequests(h.ctx, TEST_KEYS, publicUrl(), { limit: 1000 });
      assert.equal((await store.db.selectFrom('momo_requests').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status, 'expired');
      const before = sms.length;
      while (await worker.tick() > 0) { /* drain */ }
      const reminder = sms.slice(before).find((m) => m.text.includes('Reminder') && m.text.includes('60,000'));
      const fresh = await store.db.selectFrom('momo_requests').selectAll().where('invoice_id', '=', invoiceId).where('live_slot', '=', 'live').executeTakeFirstOrThrow();
      assert.notEqual(fresh.id, row.id);
      assert.ok(reminder?.text.includes(`*165*3*${fresh.payment_reference}*1#`), reminder?.text);
    });

    test('settings: secrets sealed and never shown; sandbox provisions its own API user and key; wrong credentials are refused', async () => {
      const shown = (await h.app.inject({ url: '/api/admin/rails/momo', headers: bearer(h.staffToken) })).json();
      assert.equal(JSON.stringify(shown).includes(CREDS.apiKey), false);
      const raw = JSON.stringify(await store.db.selectFrom('momo_settings').selectAll().execute());
      assert.equal(raw.includes(CREDS.apiKey) || raw.includes(CREDS.subscriptionKey), false);
      const wrong = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/momo', headers: bearer(h.adminToken), payload: { subscription_key: CREDS.subscriptionKey, api_user: CREDS.apiUser, api_key: 'nope', environment: 'mtnuganda', base_url: sim.baseUrl } });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.json().error, /refused/);
      const noPrefix = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/momo', headers: bearer(h.adminToken), payload: { subscription_key: CREDS.subscriptionKey, api_user: CREDS.apiUser, api_key: CREDS.apiKey, environment: 'mtnghana', base_url: sim.baseUrl } });
      assert.equal(noPrefix.json().field, 'ussd_prefix');
      const staff = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/momo', headers: bearer(h.staffToken), payload: { subscription_key: 'x', environment: 'sandbox' } });
      assert.equal(staff.statusCode, 403);

      const other = await testApp(store);
      const sandbox = await other.app.inject({ method: 'PUT', url: '/api/admin/rails/momo', headers: bearer(other.adminToken), payload: { subscription_key: CREDS.subscriptionKey, environment: 'sandbox', base_url: sim.baseUrl } });
      assert.equal(sandbox.statusCode, 200, sandbox.body);
      assert.deepEqual([sandbox.json().currency, sandbox.json().environment], ['EUR', 'sandbox']);
      assert.match(sandbox.json().api_user, /^[0-9a-f-]{36}$/);
      assert.notEqual(sandbox.json().api_user, CREDS.apiUser);
      // Each business sees its own settings only.
      assert.equal((await h.app.inject({ url: '/api/admin/rails/momo', headers: bearer(h.adminToken) })).json().api_user, CREDS.apiUser);
      await other.app.close();
    });
  });
}
