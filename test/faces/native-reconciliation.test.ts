import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { aPayment, anInvoice } from '../helpers/fixtures.js';
import { bearer, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`suspense handling over the admin API on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    test('unmatched payments are listed with suggestions, allocated by reference, and refunds are marked', async () => {
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'HOUSE-7', amountsMinor: [50_000] });
      const lost = await aPayment(h.ctx, h.business.id, { amountMinor: 80_000, accountRef: 'HOUSE 77', providerRef: 'RKL0ST0001' });
      const list = await h.app.inject({ url: '/api/admin/payments/unmatched', headers: bearer(h.staffToken) });
      assert.equal(list.statusCode, 200, list.body);
      const entry = list.json().payments.find((p: { reference: string }) => p.reference === 'RKL0ST0001');
      assert.equal(entry.unapplied_minor, 80_000);
      assert.equal(entry.suggestions[0].invoice_id, invoice.id);

      const staffTry = await h.app.inject({ method: 'POST', url: '/api/admin/payments/RKL0ST0001/allocate', headers: bearer(h.staffToken), payload: { invoice_id: invoice.id } });
      assert.equal(staffTry.statusCode, 403);
      const split = await h.app.inject({ method: 'POST', url: '/api/admin/payments/RKL0ST0001/allocate', headers: bearer(h.adminToken), payload: { allocations: [{ invoice_id: invoice.id, amount: '500.00' }] } });
      assert.equal(split.statusCode, 200, split.body);
      assert.equal(split.json().allocations[0].amount_minor, 50_000);
      const tooMuch = await h.app.inject({ method: 'POST', url: '/api/admin/payments/RKL0ST0001/refund-mark', headers: bearer(h.adminToken), payload: { amount: '300.01', reason: 'returned by M-PESA reversal' } });
      assert.equal(tooMuch.statusCode, 409);
      const refund = await h.app.inject({ method: 'POST', url: '/api/admin/payments/RKL0ST0001/refund-mark', headers: bearer(h.adminToken), payload: { amount: '300', reason: 'returned by M-PESA reversal' } });
      assert.equal(refund.statusCode, 201, refund.body);
      const after = await h.app.inject({ url: '/api/admin/payments/unmatched', headers: bearer(h.staffToken) });
      assert.equal(after.json().payments.some((p: { id: string }) => p.id === lost.payment.id), false);
      const verify = await h.app.inject({ url: '/api/admin/ledger/verify', headers: bearer(h.adminToken) });
      assert.equal(verify.json().ok, true, verify.body);
      const unknown = await h.app.inject({ method: 'POST', url: '/api/admin/payments/NOPE/allocate', headers: bearer(h.adminToken), payload: { invoice_id: invoice.id } });
      assert.equal(unknown.statusCode, 404);
    });
  });
}
