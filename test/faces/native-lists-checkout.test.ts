import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { insertShortcode } from '../../src/services/businesses/create-business.js';
import { cancelInvoice } from '../../src/services/invoices/cancel-invoice.js';
import { anInvoice, aPayment } from '../helpers/fixtures.js';
import { bearer, PLATFORM_TOKEN, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`invoice lists, transactions and checkout on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    test('lists filter by view, customer and date, newest first, with a cursor; transactions carry gateway data', async () => {
      const open1 = await anInvoice(h.ctx, h.business.id, { accountRef: 'L-1' });
      const paid = await anInvoice(h.ctx, h.business.id, { accountRef: 'L-2', amountsMinor: [10_000] });
      const overdue = await anInvoice(h.ctx, h.business.id, { accountRef: 'L-3', dueDate: '2026-03-01' });
      const cancelled = await anInvoice(h.ctx, h.business.id, { accountRef: 'L-4' });
      await cancelInvoice(h.ctx, h.business.id, cancelled.invoice.id);
      const pay = await aPayment(h.ctx, h.business.id, { amountMinor: 10_000, accountRef: 'l2', rawPayload: { TransID: 'RAW-1', TransAmount: '100.00' } });
      const get = (url: string, token = h.staffToken) => h.app.inject({ url, headers: bearer(token) });
      const ids = async (url: string) => (await get(url)).json().data.map((i: { id: string }) => i.id);
      assert.deepEqual(await ids('/api/admin/invoices'), [cancelled.invoice.id, overdue.invoice.id, paid.invoice.id, open1.invoice.id]);
      assert.deepEqual(await ids('/api/admin/invoices/pending'), [open1.invoice.id]);
      assert.deepEqual(await ids('/api/admin/invoices/overdue'), [overdue.invoice.id]);
      assert.deepEqual(await ids('/api/admin/invoices/paid'), [paid.invoice.id]);
      assert.deepEqual(await ids('/api/admin/invoices?customer=l-3'), [overdue.invoice.id]);
      assert.deepEqual(await ids('/api/admin/invoices?from=2026-03-03'), []);
      const first = (await get('/api/admin/invoices?limit=3')).json();
      assert.equal(first.has_more, true);
      assert.deepEqual(await ids(`/api/admin/invoices?limit=3&cursor=${first.next_cursor}`), [open1.invoice.id]);
      assert.equal((await get('/api/admin/invoices')).statusCode, 200);
      assert.equal((await h.app.inject({ url: '/api/admin/invoices' })).statusCode, 401);

      const tx = (await get(`/api/admin/transactions/${pay.payment.provider_ref}`)).json();
      assert.deepEqual(tx.gateway_data, { TransID: 'RAW-1', TransAmount: '100.00' });
      assert.equal(tx.allocations[0].invoice_id, paid.invoice.id);
      assert.equal((await get('/api/admin/transactions')).json().data.length, 1);
      assert.equal((await get(`/api/admin/transactions/invoice/${paid.invoice.id}`)).json().data[0].applied_minor, 10_000);
      const other = (await h.app.inject({ method: 'POST', url: '/api/admin/businesses', headers: bearer(PLATFORM_TOKEN), payload: { name: 'Other' } })).json().id as string;
      const otherToken = (await h.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...bearer(PLATFORM_TOKEN), 'x-business-id': other }, payload: { role: 'admin' } })).json().token as string;
      assert.deepEqual((await get('/api/admin/invoices', otherToken)).json().data, []);
      assert.equal((await get(`/api/admin/transactions/${pay.payment.provider_ref}`, otherToken)).statusCode, 404);
    });

    test('checkout answers by public token only: the invoice, its pay payload and a payment’s status', async () => {
      await insertShortcode(store.db, h.business.id, engine === 'sqlite' ? '577001' : '577002', 'paybill', '2026-01-01T00:00:00.000Z');
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'CHK-1', amountsMinor: [45_050] });
      const shown = await h.app.inject({ url: `/api/invoices/${invoice.public_token}` });
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.json().balance, 'KES 450.50');
      assert.equal((await h.app.inject({ url: `/api/invoices/${invoice.number}` })).statusCode, 404, 'an invoice number is not a token');
      assert.equal((await h.app.inject({ url: '/api/invoices/guessed-token-000000' })).statusCode, 404);
      const pay = (await h.app.inject({ url: `/api/invoices/${invoice.public_token}/pay` })).json();
      assert.equal(pay.invoice.balance_minor, 45_050);
      assert.match(pay.methods[0].instructions, /Paybill 57700\d, Account number CHK-1, amount KES 450\.50/);
      const methods = (await h.app.inject({ url: `/api/payment-methods?token=${invoice.public_token}` })).json().methods;
      assert.deepEqual(methods.map((m: { method: string }) => m.method), ['mpesa_paybill']);
      const paid = await aPayment(h.ctx, h.business.id, { amountMinor: 45_050, accountRef: 'CHK-1' });
      assert.deepEqual((await h.app.inject({ url: `/api/payments/${paid.payment.provider_ref}/status` })).json().status, 'received');
      assert.equal((await h.app.inject({ url: '/api/payments/UNKNOWN123/status' })).statusCode, 404);
    });
  });
}
