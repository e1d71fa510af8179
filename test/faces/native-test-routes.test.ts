import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { testRoutesEnabled } from '../../src/faces/native/test-routes.js';
import { buildApp } from '../../src/server/app.js';
import { createApiToken } from '../../src/services/auth/api-tokens.js';
import { aBusiness } from '../helpers/fixtures.js';
import { bearer, TEST_KEYS } from '../helpers/app.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

test('test routes exist only when asked for, and never in production', () => {
  assert.equal(testRoutesEnabled(true, {}), true);
  assert.equal(testRoutesEnabled(true, { NODE_ENV: 'production' }), false);
  assert.equal(testRoutesEnabled(false, {}), false);
});

for (const { engine, skip } of ENGINES) {
  describe(`seed 002 test routes on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    test('off: 404; on: a sample invoice, seeded methods, and full details', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { token } = await createApiToken(ctx, { businessId: biz.id, role: 'admin' });
      const off = await buildApp({ store, keys: TEST_KEYS, clock: ctx.clock, logLevel: false, config: { ...loadConfig({}), databaseUrl: store.url } });
      assert.equal((await off.inject({ method: 'POST', url: '/api/test/invoice', headers: bearer(token) })).statusCode, 404);
      await off.close();
      const on = await buildApp({ store, keys: TEST_KEYS, clock: ctx.clock, logLevel: false, config: { ...loadConfig({ BILLMANAGER_TEST_ROUTES: '1' }), databaseUrl: store.url } });
      const invoice = await on.inject({ method: 'POST', url: '/api/test/invoice', headers: bearer(token) });
      assert.equal(invoice.statusCode, 201, invoice.body);
      assert.equal(invoice.json().total, '167.00');
      const seeded = (await on.inject({ method: 'POST', url: '/api/test/payment-methods/seed', headers: bearer(token) })).json();
      assert.match(seeded.methods[0].shortcode, /^6\d{5}$/);
      const full = (await on.inject({ url: `/api/test/invoice/${invoice.json().id}`, headers: bearer(token) })).json();
      assert.deepEqual(full.journal.map((j: { kind: string }) => j.kind), ['invoice_issued']);
      assert.equal((await on.inject({ method: 'POST', url: '/api/test/invoice' })).statusCode, 401);
      await store.db.insertInto('stk_requests').values({ id: 'stk_test_1', business_id: biz.id, invoice_id: invoice.json().id, checkout_request_id: 'ws_CO_TEST_1', merchant_request_id: 'm-1', phone: '+254708374149',
        amount_minor: 16_700, status: 'pending', result_code: null, result_desc: null, receipt: null, payment_id: null, callback_token_hash: 'unused', created_at: '2026-03-02T07:00:00.000Z', updated_at: '2026-03-02T07:00:00.000Z' }).execute();
      const simulated = await on.inject({ method: 'POST', url: '/api/test/mpesa/callback', headers: bearer(token), payload: { checkout_id: 'ws_CO_TEST_1' } });
      assert.equal(simulated.json().status, 'paid', simulated.body);
      assert.equal((await on.inject({ url: `/api/test/invoice/${invoice.json().id}`, headers: bearer(token) })).json().status, 'paid');
      await on.close();
    });
  });
}
