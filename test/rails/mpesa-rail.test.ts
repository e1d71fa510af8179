import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { DarajaSimulator } from '../../src/rails/mpesa/daraja-simulator.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { queryPendingStkPushes } from '../../src/services/mpesa/stk-query-job.js';
import { anInvoice } from '../helpers/fixtures.js';
import { bearer, TEST_KEYS, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const APP = { consumerKey: 'simKey123', consumerSecret: 'simSecret456' };
const PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';

for (const { engine, skip } of ENGINES) {
  describe(`M-PESA rail over the Daraja simulator on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    let sim: DarajaSimulator;
    let shortcode: string;

    before(async () => {
      store = await openTestStore(engine);
      h = await testApp(store);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      h.app.services.config.publicUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      shortcode = String(600_500 + (engine === 'sqlite' ? 1 : 2));
      sim = new DarajaSimulator({ apps: [APP], passkeys: { [shortcode]: PASSKEY }, externalValidation: [shortcode], retryDelayMs: 5, stkCallbackDelayMs: 5 });
      await sim.start();
    });
    after(async () => { await sim?.stop(); await h?.app.close(); await store?.dispose(); });

    const admin = () => bearer(h.adminToken);
    const waitFor = async (check: () => Promise<boolean>) => { for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10)); };

    test('settings are saved with secrets sealed, read back without them, and the URLs registered', async () => {
      const put = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/mpesa', headers: admin(), payload: {
        shortcode, shortcode_type: 'paybill', consumer_key: APP.consumerKey, consumer_secret: APP.consumerSecret, passkey: PASSKEY, environment: sim.baseUrl,
      } });
      assert.equal(put.statusCode, 200, put.body);
      assert.equal(put.json().has_passkey, true);
      assert.equal(JSON.stringify(put.json()).includes(APP.consumerSecret), false);
      const raw = await store.db.selectFrom('mpesa_settings').selectAll().where('business_id', '=', h.business.id).executeTakeFirstOrThrow();
      assert.equal(JSON.stringify(raw).includes(APP.consumerSecret), false);
      assert.equal(JSON.stringify(raw).includes(PASSKEY), false);
      const registered = await h.app.inject({ method: 'POST', url: '/api/admin/rails/mpesa/register-urls', headers: admin() });
      assert.equal(registered.statusCode, 200, registered.body);
      const at = sim.registrations.get(shortcode)!;
      assert.equal(at.confirmationUrl, registered.json().confirmation_url);
      assert.match(at.confirmationUrl, /\/api\/callbacks\/c2b\/[A-Za-z0-9_-]{32}\/confirm$/);
      assert.doesNotMatch(at.confirmationUrl, /mpesa/i);
      assert.equal(sim.tokenRequests.length, 1);
    });

    test('a payment with a messy reference is matched; retries and duplicates are recorded once', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'HSE-12B', amountsMinor: [150_000] });
      sim.dropConfirmations(1);
      const paid = await sim.payBill({ shortcode, accountReference: ' hse 12b', amountMinor: 100_000, duplicate: true });
      assert.equal(paid.confirmed, true);
      assert.equal(sim.deliveries.filter((d) => d.kind === 'confirmation' && (d.body as { TransID: string }).TransID === paid.transId).length, 3);
      const detail = await getInvoiceDetail(store.db, h.business.id, invoice.id);
      assert.equal(detail.paidMinor, 100_000);
      assert.equal(detail.invoice.status, 'partially_paid');
      const payment = await store.db.selectFrom('payments').selectAll().where('provider_ref', '=', paid.transId).execute();
      assert.equal(payment.length, 1);
      assert.equal(payment[0]!.match_rule, 'account_reference');
      assert.equal(JSON.parse(payment[0]!.raw_payload!).TransID, paid.transId);
      await sim.payBill({ shortcode, accountReference: 'HSE12B', amountMinor: 70_000 });
      const after = await getInvoiceDetail(store.db, h.business.id, invoice.id);
      assert.equal(after.invoice.status, 'paid');
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('validation rejects unknown accounts only when the business asks; bad secrets and bodies are recorded, never applied', async () => {
      const unknown = await sim.payBill({ shortcode, accountReference: 'NOBODY-1', amountMinor: 5_000 });
      assert.equal(unknown.confirmed, true, 'accepted by default: the money waits in suspense');
      const settings = (await h.app.inject({ url: '/api/admin/rails/mpesa', headers: admin() })).json();
      await h.app.inject({ method: 'PUT', url: '/api/admin/rails/mpesa', headers: admin(), payload: { shortcode, shortcode_type: 'paybill', consumer_key: APP.consumerKey, environment: sim.baseUrl, reject_unknown_accounts: true } });
      const rejected = await sim.payBill({ shortcode, accountReference: 'NOBODY-2', amountMinor: 5_000 });
      assert.equal(rejected.accepted, false);
      const validation = sim.deliveries.filter((d) => d.kind === 'validation').at(-1)!;
      assert.equal(JSON.parse(validation.reply).ResultCode, 'C2B00012');
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', rejected.transId).execute()).length, 0);
      assert.equal(settings.reject_unknown_accounts, false);

      const forged = await h.app.inject({ method: 'POST', url: '/api/callbacks/c2b/this-is-not-the-registered-secret/confirm', payload: { TransID: 'FORGED0001', TransAmount: '999.00', BusinessShortCode: shortcode, BillRefNumber: 'HSE12B', TransTime: '20260301120000', MSISDN: '254700000000', TransactionType: 'Pay Bill' } });
      assert.equal(forged.statusCode, 200);
      assert.deepEqual(forged.json(), { ResultCode: 0, ResultDesc: 'Success' });
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'FORGED0001').execute()).length, 0);
      const url = sim.registrations.get(shortcode)!.confirmationUrl.replace(/^http:\/\/127\.0\.0\.1:\d+/, '');
      const malformed = await h.app.inject({ method: 'POST', url, payload: { TransID: 'BADAMT0001', TransAmount: '1,000.00', BusinessShortCode: shortcode, TransTime: '20260301120000' } });
      assert.equal(malformed.statusCode, 200);
      const kept = await store.db.selectFrom('mpesa_callbacks').select(['outcome', 'body']).where('body', 'like', '%BADAMT0001%').executeTakeFirstOrThrow();
      assert.match(kept.outcome, /malformed: TransAmount/);
      const otherShortcode = await h.app.inject({ method: 'POST', url, payload: { TransID: 'OTHERSC001', TransAmount: '10.00', BusinessShortCode: '999999', BillRefNumber: 'x', TransTime: '20260301120000' } });
      assert.equal(otherShortcode.statusCode, 200);
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'OTHERSC001').execute()).length, 0);
    });

    test('STK push: success settles the invoice, a cancel does not, and a lost callback is recovered by the query job', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'STK-1', amountsMinor: [25_050] });
      const tooMuch = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: invoice.id, phone_number: '0712345678', amount: '300' } });
      assert.equal(tooMuch.statusCode, 400);
      assert.equal(tooMuch.json().field, 'amount');
      const badPhone = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: invoice.id, phone_number: '0733000000' } });
      assert.equal(badPhone.statusCode, 400);

      sim.queueStkOutcomes({ resultCode: 1032 });
      const cancelled = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: invoice.id, phone_number: '0712345678', amount: '100' } });
      assert.equal(cancelled.statusCode, 202, cancelled.body);
      const cancelledId = cancelled.json().checkout_id as string;
      await waitFor(async () => (await h.app.inject({ url: `/api/payments/mpesa/${cancelledId}/status` })).json().status !== 'pending');
      assert.equal((await h.app.inject({ url: `/api/payments/mpesa/${cancelledId}/status` })).json().status, 'cancelled');

      const paid = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: invoice.public_token, phone_number: '254712345678' } });
      assert.equal(paid.json().amount_minor, 25_100, 'whole shillings, rounded up from 250.50');
      await waitFor(async () => (await h.app.inject({ url: `/api/payments/mpesa/${paid.json().checkout_id}/status` })).json().status === 'paid');
      const status = (await h.app.inject({ url: `/api/payments/mpesa/${paid.json().checkout_id}/status` })).json();
      assert.equal(status.status, 'paid');
      assert.match(status.receipt, /^[A-Z0-9]{10}$/);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).invoice.status, 'paid');

      const { invoice: second } = await anInvoice(h.ctx, h.business.id, { accountRef: 'STK-2', amountsMinor: [10_000] });
      sim.queueStkOutcomes('no-callback');
      const lost = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: second.id, phone_number: '0712345678' } });
      await waitFor(async () => sim.stk.get(lost.json().checkout_id)?.result !== undefined);
      assert.equal(await queryPendingStkPushes(h.ctx, TEST_KEYS), 0, 'not asked about before a minute has passed');
      h.ctx.clock.advance(61_000);
      assert.equal(await queryPendingStkPushes(h.ctx, TEST_KEYS), 1);
      assert.equal((await h.app.inject({ url: `/api/payments/mpesa/${lost.json().checkout_id}/status` })).json().status, 'paid');
      assert.equal((await getInvoiceDetail(store.db, h.business.id, second.id)).invoice.status, 'paid');

      const forged = await h.app.inject({ method: 'POST', url: '/api/callbacks/mpesa?k=guess', payload: { Body: { stkCallback: { MerchantRequestID: 'x', CheckoutRequestID: lost.json().checkout_id, ResultCode: 0, ResultDesc: 'ok', CallbackMetadata: { Item: [{ Name: 'Amount', Value: 100 }] } } } } });
      assert.equal(forged.statusCode, 200);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('an STK timeout settles as failed; the same confirmation delivered 10 times at once over HTTP is applied once', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'STK-TO', amountsMinor: [10_000] });
      sim.queueStkOutcomes({ resultCode: 1037 });
      const timedOut = await h.app.inject({ method: 'POST', url: '/api/payments/mpesa/initiate', payload: { invoice_id: invoice.id, phone_number: '0712345678' } });
      await waitFor(async () => (await h.app.inject({ url: `/api/payments/mpesa/${timedOut.json().checkout_id}/status` })).json().status !== 'pending');
      const status = (await h.app.inject({ url: `/api/payments/mpesa/${timedOut.json().checkout_id}/status` })).json();
      assert.deepEqual([status.status, status.result_code], ['failed', 1037]);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 0);

      const url = sim.registrations.get(shortcode)!.confirmationUrl;
      const body = JSON.stringify({ TransactionType: 'Pay Bill', TransID: 'STORMHTTP1', TransTime: '20260302100000', TransAmount: '100.00', BusinessShortCode: shortcode, BillRefNumber: 'stk-to', MSISDN: '254708374149', FirstName: 'J' });
      const replies = await Promise.all(Array.from({ length: 10 }, () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })));
      assert.deepEqual([...new Set(replies.map((r) => r.status))], [200]);
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'STORMHTTP1').execute()).length, 1);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 10_000);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('the fixed seed paths apply a confirmation only from an allow-listed address', async () => {
      const body = { TransactionType: 'Pay Bill', TransID: 'FIXEDPATH1', TransTime: '20260301120000', TransAmount: '10.00', BusinessShortCode: shortcode, BillRefNumber: 'HSE12B', MSISDN: '254700000001' };
      assert.equal((await h.app.inject({ method: 'POST', url: '/api/callbacks/mpesa/confirmation', payload: body, remoteAddress: '196.201.214.200' })).statusCode, 200);
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'FIXEDPATH1').execute()).length, 0);
      await h.app.inject({ method: 'PUT', url: '/api/admin/rails/mpesa', headers: admin(), payload: { shortcode, shortcode_type: 'paybill', consumer_key: APP.consumerKey, environment: sim.baseUrl, allowed_ips: ['196.201.214.200'] } });
      await h.app.inject({ method: 'POST', url: '/api/callbacks/mpesa/confirmation', payload: body, remoteAddress: '10.9.9.9' });
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'FIXEDPATH1').execute()).length, 0);
      await h.app.inject({ method: 'POST', url: '/api/callbacks/mpesa/confirmation', payload: body, remoteAddress: '196.201.214.200' });
      assert.equal((await store.db.selectFrom('payments').select('id').where('provider_ref', '=', 'FIXEDPATH1').execute()).length, 1);
      await h.app.inject({ method: 'PUT', url: '/api/admin/rails/mpesa', headers: admin(), payload: { shortcode, shortcode_type: 'paybill', consumer_key: APP.consumerKey, environment: sim.baseUrl, allowed_ips: [] } });
    });

    test('an expired token is refreshed once and the call goes through', async () => {
      const before = sim.tokenRequests.length;
      sim.expireTokens();
      const registered = await h.app.inject({ method: 'POST', url: '/api/admin/rails/mpesa/register-urls', headers: admin() });
      assert.equal(registered.statusCode, 200, registered.body);
      assert.equal(sim.tokenRequests.length, before + 1);
    });
  });
}
