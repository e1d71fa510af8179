import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { PesapalSimulator } from '../../src/rails/pesapal/pesapal-simulator.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { anInvoice } from '../helpers/fixtures.js';
import { bearer, TEST_KEYS, testApp } from '../helpers/app.js';
import { buildApp } from '../../src/server/app.js';
import { confirmPendingPesapalOrders } from '../../src/services/pesapal/pesapal-orders.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const CREDENTIALS = { consumerKey: 'ppKey', consumerSecret: 'ppSecret' };

for (const { engine, skip } of ENGINES) {
  describe(`Pesapal rail over its simulator on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    let sim: PesapalSimulator;
    before(async () => {
      store = await openTestStore(engine);
      h = await testApp(store);
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      h.app.services.config.publicUrl = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      sim = new PesapalSimulator(CREDENTIALS);
      await sim.start();
    });
    after(async () => { await sim?.stop(); await h?.app.close(); await store?.dispose(); });

    const setUp = async (ipnType: 'GET' | 'POST') => {
      const res = await h.app.inject({ method: 'PUT', url: '/api/admin/rails/pesapal', headers: bearer(h.adminToken), payload: { consumer_key: CREDENTIALS.consumerKey, consumer_secret: CREDENTIALS.consumerSecret, environment: sim.baseUrl, ipn_type: ipnType } });
      assert.equal(res.statusCode, 200, res.body);
      const raw = JSON.stringify(await store.db.selectFrom('pesapal_settings').selectAll().where('business_id', '=', h.business.id).executeTakeFirstOrThrow());
      assert.equal(raw.includes(CREDENTIALS.consumerSecret), false);
    };
    const initiate = async (invoiceToken: string, amount?: string) => {
      const res = await h.app.inject({ method: 'POST', url: '/api/payments/pesapal/initiate', payload: { invoice_id: invoiceToken, ...(amount ? { amount } : {}) } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { tracking_id: string; redirect_url: string };
    };

    test('a completed card payment, confirmed by the status API after a GET IPN, pays the invoice once even when the IPN repeats', async () => {
      await setUp('GET');
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'CARD-1', amountsMinor: [150_075] });
      const started = await initiate(invoice.public_token);
      assert.match(started.redirect_url, /\/pay\//);
      assert.equal((await h.app.inject({ url: `/api/payments/pesapal/${started.tracking_id}/status` })).json().status, 'pending');
      await sim.settle(started.tracking_id, 1);
      await sim.sendIpn(started.tracking_id);
      assert.deepEqual(JSON.parse(sim.ipnDeliveries[0]!.reply), { orderNotificationType: 'IPNCHANGE', orderTrackingId: started.tracking_id, orderMerchantReference: sim.orders.get(started.tracking_id)!.merchantReference, status: 200 });
      const detail = await getInvoiceDetail(store.db, h.business.id, invoice.id);
      assert.equal(detail.invoice.status, 'paid');
      assert.equal(detail.paidMinor, 150_075);
      assert.equal((await store.db.selectFrom('payments').select('id').where('rail', '=', 'pesapal').where('provider_ref', '=', started.tracking_id).execute()).length, 1);
      const back = await h.app.inject({ url: `/api/payments/pesapal/return?OrderTrackingId=${started.tracking_id}&OrderNotificationType=CALLBACKURL` });
      assert.equal(back.statusCode, 302);
      assert.match(String(back.headers.location), new RegExp(`/i/${invoice.public_token}\\?payment=completed$`));
    });

    test('an IPN for an order Pesapal does not show as completed credits nothing; a mismatched amount is held for a person', async () => {
      await setUp('POST');
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'CARD-2', amountsMinor: [10_000] });
      const started = await initiate(invoice.id);
      await sim.sendIpn(started.tracking_id);
      assert.equal(sim.ipnDeliveries.at(-1)!.status, 200);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 0);
      await sim.settle(started.tracking_id, 2);
      assert.equal((await h.app.inject({ url: `/api/payments/pesapal/${started.tracking_id}/status` })).json().status, 'failed');

      const again = await initiate(invoice.public_token);
      await sim.settle(again.tracking_id, 1, { amount: 1 });
      assert.equal((await h.app.inject({ url: `/api/payments/pesapal/${again.tracking_id}/status` })).json().status, 'mismatch');
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 0);
      assert.equal((await h.app.inject({ method: 'POST', url: '/api/payments/pesapal/initiate', payload: { invoice_id: invoice.id, amount: '100.01' } })).statusCode, 400);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('a lost IPN is recovered by the status job; the test route simulates an IPN through the real handler', async () => {
      await setUp('GET');
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'CARD-3', amountsMinor: [20_000] });
      const lost = await initiate(invoice.public_token, '50');
      await sim.settle(lost.tracking_id, 1, { sendIpn: false });
      assert.equal(await confirmPendingPesapalOrders(h.ctx, TEST_KEYS), 0, 'too young to ask about');
      h.ctx.clock.advance(3 * 60_000);
      assert.equal(await confirmPendingPesapalOrders(h.ctx, TEST_KEYS), 1);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 5_000);

      const withTestRoutes = await buildApp({ store, keys: TEST_KEYS, clock: h.ctx.clock, logLevel: false, config: { ...h.app.services.config, testRoutes: true } });
      const second = await initiate(invoice.public_token, '150');
      const notYet = await withTestRoutes.inject({ method: 'POST', url: '/api/test/pesapal/ipn', headers: bearer(h.adminToken), payload: { OrderTrackingId: second.tracking_id } });
      assert.equal(notYet.json().status, 200);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 5_000, 'the simulated IPN is a hint: nothing is credited before Pesapal says completed');
      await sim.settle(second.tracking_id, 1, { sendIpn: false });
      await withTestRoutes.inject({ method: 'POST', url: '/api/test/pesapal/ipn', headers: bearer(h.adminToken), payload: { OrderTrackingId: second.tracking_id } });
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).invoice.status, 'paid');
      await withTestRoutes.close();
    });
  });
}
