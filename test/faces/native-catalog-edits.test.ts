import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { systemAccountBalance } from '../../src/services/ledger/balances.js';
import { bearer, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`catalog and invoice edits on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });
    const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = h.adminToken) =>
      h.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

    test('products, tax rates and currencies are kept per business', async () => {
      const product = await call('POST', '/api/admin/products', { sku: 'WTR-20L', name: 'Water 20L', unit_price: '250.50', tax_rate: 16 });
      assert.equal(product.statusCode, 201, product.body);
      assert.equal(product.json().unit_price_minor, 25_050);
      assert.equal((await call('POST', '/api/admin/products', { sku: 'WTR-20L', name: 'Again', unit_price: 1 })).statusCode, 409);
      assert.equal((await call('PUT', `/api/admin/products/${product.json().id}`, { sku: 'WTR-20L', name: 'Water 20 litres', unit_price: '260' })).json().unit_price, '260.00');
      assert.equal((await call('POST', '/api/admin/taxes', { name: 'VAT', rate: '16' })).statusCode, 201);
      assert.deepEqual((await call('GET', '/api/admin/taxes')).json().data.map((t: { name: string; rate: string }) => [t.name, t.rate]), [['VAT', '16']]);
      const currencies = (await call('GET', '/api/admin/currencies')).json();
      assert.equal(currencies.default, 'KES');
      assert.ok(currencies.data.some((c: { code: string; minor_unit_digits: number }) => c.code === 'UGX' && c.minor_unit_digits === 0));
      assert.equal((await call('POST', '/api/admin/products', { sku: 'X', name: 'x', unit_price: 1 }, h.staffToken)).statusCode, 403);
    });

    test('items added and removed on an issued invoice adjust the receivable in balanced entries; paid invoices refuse edits', async () => {
      const product = (await call('GET', '/api/admin/products')).json().data[0];
      const created = (await call('POST', '/api/admin/invoices', { customer: { account_reference: 'EDIT-1', name: 'E' }, name: 'Delivery', due_date: '2026-03-31', items: [{ name: 'Crate', unit_price: '1000' }] })).json();
      const added = await call('POST', `/api/admin/invoices/${created.id}/items`, { product_id: product.id, quantity: 2 });
      assert.equal(added.statusCode, 201, added.body);
      // 1,000 + 2 × 260.00 + 16% of 520.00 = 1,603.20
      assert.equal(added.json().total, '1603.20');
      assert.equal(added.json().items[1].sku, 'WTR-20L');
      assert.equal(await systemAccountBalance(store.db, h.business.id, 'accounts_receivable', 'KES'), 160_320);
      const removed = await call('DELETE', `/api/admin/invoices/${created.id}/items/${added.json().items[0].id}`);
      assert.equal(removed.json().total, '603.20');
      assert.equal(await systemAccountBalance(store.db, h.business.id, 'accounts_receivable', 'KES'), 60_320);
      assert.equal((await call('DELETE', `/api/admin/invoices/${created.id}/items/${added.json().items[1].id}`)).statusCode, 400, 'an invoice keeps at least one item');
      const edited = await call('PUT', `/api/admin/invoices/${created.id}`, { name: 'Delivery, March', due_date: '2026-04-15', notes: 'gate B' });
      assert.equal(edited.json().due_date, '2026-04-15');
      const reminders = await store.db.selectFrom('outbox_messages').select(['status', 'dedupe_key']).where('kind', '=', 'reminder').where('dedupe_key', 'like', `reminder:${created.id}:%`).execute();
      assert.equal(reminders.filter((r) => r.status === 'pending' && r.dedupe_key.includes('2026-04-15')).length, 0, 'no phone, no reminders');
      await call('POST', '/api/admin/payments', { rail: 'cash', reference: 'CASH-EDIT-1', amount: '100', invoice_id: created.id });
      assert.equal((await call('PUT', `/api/admin/invoices/${created.id}`, { name: 'x' })).statusCode, 409);
      assert.equal((await call('POST', `/api/admin/invoices/${created.id}/items`, { name: 'late', unit_price: 1 })).statusCode, 409);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });
  });
}
