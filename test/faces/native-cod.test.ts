import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemAccountBalance } from '../../src/services/ledger/balances.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { anInvoice } from '../helpers/fixtures.js';
import { bearer, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`cash on delivery on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    test('create, instructions, collect, a wrong code, then the right one: the invoice is paid from agent cash', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'COD-1', amountsMinor: [35_000] });
      const created = await h.app.inject({ method: 'POST', url: '/api/payments/cod/create', headers: { 'idempotency-key': 'cod-create-1' }, payload: { invoice_id: invoice.public_token } });
      assert.equal(created.statusCode, 201, created.body);
      const replay = await h.app.inject({ method: 'POST', url: '/api/payments/cod/create', headers: { 'idempotency-key': 'cod-create-1' }, payload: { invoice_id: invoice.public_token } });
      assert.equal(replay.json().cod_id, created.json().cod_id, 'a retried create is the same transaction');
      assert.equal(replay.json().verification_code, null, 'and the code is not stored for replays');
      const { cod_id: codId, verification_code: code } = created.json();
      assert.match(code, /^\d{6}$/);
      const raw = JSON.stringify(await store.db.selectFrom('cod_transactions').selectAll().where('id', '=', codId).executeTakeFirstOrThrow());
      assert.equal(raw.includes(`"${code}"`), false, 'the code is stored hashed');
      const instructions = (await h.app.inject({ url: `/api/payments/cod/${codId}/instructions` })).json();
      assert.match(instructions.instructions, /Pay KES 350\.00 in cash/);
      assert.equal(JSON.stringify(instructions).includes(code), false);
      const verifyEarly = await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.staffToken), payload: { code } });
      assert.equal(verifyEarly.statusCode, 409);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/collect`, headers: bearer(h.staffToken), payload: { collector: 'Otieno', delivery_agent_id: 'AG-7' } })).statusCode, 200);
      const wrong = await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.staffToken), payload: { code: code === '000000' ? '111111' : '000000' } });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.json().error, /4 tries left/);
      const right = await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.staffToken), payload: { code } });
      assert.equal(right.statusCode, 200, right.body);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).invoice.status, 'paid');
      assert.equal(await systemAccountBalance(store.db, h.business.id, 'agent_cash', 'KES'), 35_000);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.staffToken), payload: { code } })).json().payment_id, right.json().payment_id);
    });

    test('five wrong codes lock the transaction', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'COD-2' });
      const { cod_id: codId, verification_code: code } = (await h.app.inject({ method: 'POST', url: '/api/payments/cod/create', payload: { invoice_id: invoice.id } })).json();
      await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/collect`, headers: bearer(h.adminToken), payload: { collector: 'Wanjiru' } });
      const bad = code === '999999' ? '888888' : '999999';
      for (let i = 0; i < 5; i++) await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.adminToken), payload: { code: bad } });
      const locked = await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/verify`, headers: bearer(h.adminToken), payload: { code } });
      assert.equal(locked.statusCode, 409);
      assert.match(locked.json().error, /locked/);
      assert.equal((await getInvoiceDetail(store.db, h.business.id, invoice.id)).paidMinor, 0);
      assert.equal((await h.app.inject({ method: 'POST', url: `/api/admin/payments/cod/${codId}/collect`, payload: { collector: 'x' } })).statusCode, 401);
    });
  });
}
