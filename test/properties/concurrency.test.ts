/**
 * Races that a real deployment sees, run where they can really race: PostgreSQL with a pool of
 * connections. The same M-PESA confirmation delivered many times at once is recorded once; payments
 * racing for one invoice never over-allocate it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { receivePayment } from '../../src/services/payments/receive-payment.js';
import { aBusiness, anInvoice } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`concurrent deliveries on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine, { poolSize: 8 }); });
    after(async () => { await store?.dispose(); });

    test('one confirmation delivered 20 times at once is recorded and applied once', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'STORM', amountsMinor: [100_000] });
      const results = await Promise.all(Array.from({ length: 20 }, () =>
        receivePayment(ctx, biz.id, { rail: 'mpesa_c2b', providerRef: 'STORM00001', amountMinor: 60_000, currency: 'KES', accountRef: 'STORM' })));
      assert.equal(results.filter((r) => !r.duplicate).length, 1);
      assert.equal(new Set(results.map((r) => r.payment.id)).size, 1);
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).paidMinor, 60_000);
      assert.deepEqual((await verifyLedger(store.db, biz.id)).problems, []);
    });

    test('twenty different payments racing for one invoice never over-allocate it', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'RACE', amountsMinor: [100_000] });
      await Promise.all(Array.from({ length: 20 }, (_, i) =>
        receivePayment(ctx, biz.id, { rail: 'mpesa_c2b', providerRef: `RACE${String(i).padStart(6, '0')}`, amountMinor: 7_000, currency: 'KES', accountRef: 'race' })));
      const detail = await getInvoiceDetail(store.db, biz.id, invoice.id);
      assert.equal(detail.paidMinor, 100_000);
      assert.equal(detail.invoice.status, 'paid');
      const report = await verifyLedger(store.db, biz.id);
      assert.deepEqual(report.problems, []);
      assert.equal(report.byCurrency.KES!.creditMinor, 140_000 - 100_000);
    });
  });
}
