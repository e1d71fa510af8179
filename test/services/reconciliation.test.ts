import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { systemAccountBalance } from '../../src/services/ledger/balances.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { allocateManually } from '../../src/services/payments/allocate-manually.js';
import { matchSuspensePayment } from '../../src/services/payments/match-suspense.js';
import { reverseAllocation } from '../../src/services/payments/reverse-allocation.js';
import { suggestMatches } from '../../src/services/payments/suggest-matches.js';
import { aBusiness, anInvoice, aPayment } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`reconciliation rules on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });
    const ok = async (businessId: string) => assert.deepEqual((await verifyLedger(store.db, businessId)).problems, []);

    test('messy account references typed on a phone still match, and the rule is recorded', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'G-70/B', amountsMinor: [300_000] });
      for (const typed of [' #g70b ', 'G_70.B', 'g 70 b']) {
        const paid = await aPayment(ctx, biz.id, { amountMinor: 100_000, accountRef: typed });
        assert.equal(paid.payment.match_rule, 'account_reference', typed);
      }
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'paid');
      await ok(biz.id);
    });

    test('an external reference names the invoice; an account pays oldest due first, the rest is credit', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const older = await anInvoice(ctx, biz.id, { accountRef: 'ACC-9', amountsMinor: [10_000], dueDate: '2026-03-10' });
      const newer = await anInvoice(ctx, biz.id, { accountRef: 'ACC-9', amountsMinor: [20_000], dueDate: '2026-03-20', externalRef: '#9932340' });
      const byRef = await aPayment(ctx, biz.id, { amountMinor: 5_000, accountRef: '9932340' });
      assert.equal(byRef.payment.match_rule, 'external_reference');
      assert.deepEqual(byRef.allocations.map((a) => a.invoiceId), [newer.invoice.id]);
      const byAccount = await aPayment(ctx, biz.id, { amountMinor: 40_000, accountRef: 'acc9' });
      assert.deepEqual(byAccount.allocations.map((a) => [a.invoiceId, a.amountMinor]), [[older.invoice.id, 10_000], [newer.invoice.id, 15_000]]);
      assert.equal(await systemAccountBalance(store.db, biz.id, 'customer_credit', 'KES', older.customer.id), 15_000);
      await ok(biz.id);
    });

    test('a payment naming a paid invoice becomes credit on that account', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice, customer } = await anInvoice(ctx, biz.id, { accountRef: 'P1', amountsMinor: [10_000], externalRef: 'X-1' });
      await aPayment(ctx, biz.id, { amountMinor: 10_000, accountRef: 'X-1' });
      const again = await aPayment(ctx, biz.id, { amountMinor: 7_000, accountRef: 'X-1' });
      assert.equal(again.allocations.length, 0);
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).paidMinor, 10_000);
      assert.equal(await systemAccountBalance(store.db, biz.id, 'customer_credit', 'KES', customer.id), 7_000);
      await ok(biz.id);
    });

    test('with no reference match, the phone matches only when exactly one customer with open invoices has it', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const one = await anInvoice(ctx, biz.id, { accountRef: 'PH1', customer: { accountRef: 'PH1', name: 'A', phone: '0722000111' } });
      const byPhone = await aPayment(ctx, biz.id, { amountMinor: 1_000, accountRef: 'nonsense', payerPhone: '254722000111' });
      assert.equal(byPhone.payment.match_rule, 'phone');
      assert.equal(byPhone.payment.customer_id, one.customer.id);
      const masked = await aPayment(ctx, biz.id, { amountMinor: 1_000, accountRef: 'nonsense', payerPhone: '2547 ***** 111' });
      assert.equal(masked.matched, 'suspense');
      await anInvoice(ctx, biz.id, { accountRef: 'PH2', customer: { accountRef: 'PH2', name: 'B', phone: '+254 722 000 111' } });
      const ambiguous = await aPayment(ctx, biz.id, { amountMinor: 1_000, accountRef: 'nonsense', payerPhone: '0722000111' });
      assert.equal(ambiguous.matched, 'suspense');
      await ok(biz.id);
    });

    test('suspense gets suggestions, never applied; a person splits one payment over two accounts', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const kid1 = await anInvoice(ctx, biz.id, { accountRef: 'STU-1001', amountsMinor: [30_000] });
      const kid2 = await anInvoice(ctx, biz.id, { accountRef: 'STU-2002', amountsMinor: [25_000] });
      const waiting = await aPayment(ctx, biz.id, { amountMinor: 60_000, accountRef: 'STU1010' });
      assert.equal(waiting.matched, 'suspense');
      const suggestions = await suggestMatches(store.db, biz.id, waiting.payment);
      assert.equal(suggestions[0]!.invoiceId, kid1.invoice.id);
      assert.ok(suggestions[0]!.reasons.includes('close_reference'));
      assert.equal((await getInvoiceDetail(store.db, biz.id, kid1.invoice.id)).paidMinor, 0);
      await assert.rejects(allocateManually(ctx, biz.id, waiting.payment.id, [{ invoiceId: kid1.invoice.id, amountMinor: 30_001 }]), (e: unknown) => e instanceof AppError && e.code === 'over_allocation');
      await allocateManually(ctx, biz.id, waiting.payment.id, [{ invoiceId: kid1.invoice.id, amountMinor: 30_000 }, { invoiceId: kid2.invoice.id, amountMinor: 25_000 }]);
      assert.equal((await getInvoiceDetail(store.db, biz.id, kid1.invoice.id)).invoice.status, 'paid');
      assert.equal((await getInvoiceDetail(store.db, biz.id, kid2.invoice.id)).invoice.status, 'paid');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'suspense', 'KES'), 5_000);
      await assert.rejects(allocateManually(ctx, biz.id, waiting.payment.id, [{ invoiceId: kid2.invoice.id, amountMinor: 1 }]), (e: unknown) => e instanceof AppError && e.status === 409);
      await ok(biz.id);
    });

    test('unapplying part of a payment split by hand returns it to suspense, where it came from', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'SPLIT-1', amountsMinor: [10_000] });
      const waiting = await aPayment(ctx, biz.id, { amountMinor: 10_000, accountRef: 'nobody' });
      const [applied] = await allocateManually(ctx, biz.id, waiting.payment.id, [{ invoiceId: invoice.id, amountMinor: 10_000 }]);
      await reverseAllocation(ctx, biz.id, applied!.id, 'wrong pupil');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'suspense', 'KES'), 10_000);
      await matchSuspensePayment(ctx, biz.id, waiting.payment.id, { invoiceId: invoice.id });
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'paid');
      await ok(biz.id);
    });
  });
}
