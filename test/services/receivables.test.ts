import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/domain/errors.js';
import { auditTrail } from '../../src/services/audit.js';
import { cancelInvoice } from '../../src/services/invoices/cancel-invoice.js';
import { createInvoices } from '../../src/services/invoices/create-invoices.js';
import { getInvoiceDetail } from '../../src/services/invoices/get-invoice.js';
import { issueInvoice } from '../../src/services/invoices/issue-invoice.js';
import { markOverdueInvoices } from '../../src/services/invoices/mark-overdue.js';
import { systemAccountBalance, trialBalance } from '../../src/services/ledger/balances.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { matchSuspensePayment } from '../../src/services/payments/match-suspense.js';
import { refundPayment } from '../../src/services/payments/refund-payment.js';
import { reverseAllocation } from '../../src/services/payments/reverse-allocation.js';
import { aBusiness, anInvoice, aPayment, invoiceInput } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`receivables on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    const expectOk = async (ctx: ReturnType<typeof testCtx>, businessId: string) => {
      const report = await verifyLedger(ctx.store.db, businessId);
      assert.deepEqual(report.problems, []);
      return report;
    };

    test('issuing an invoice posts the receivable, sales and VAT from its lines', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { items: [
        { name: 'Rent', quantity: 1, unitPriceMinor: 1_000_000, taxRateBps: 0 },
        { name: 'Water', quantity: 3, unitPriceMinor: 33_333, taxRateBps: 1600 },
      ] });
      // 3 × 333.33 = 999.99; 16% of it = 159.9984 → 160.00 (half away from zero, once per line)
      assert.equal(invoice.subtotal_minor, 1_099_999);
      assert.equal(invoice.tax_minor, 16_000);
      assert.equal(invoice.total_minor, 1_115_999);
      assert.equal(invoice.status, 'open');
      assert.match(invoice.number, /^INV-\d{6}$/);
      const tb = await trialBalance(store.db, biz.id);
      const byCode = Object.fromEntries(tb.map((r) => [r.code, r.balanceMinor]));
      assert.equal(byCode['1100'], 1_115_999);
      assert.equal(byCode['4000'], 1_099_999);
      assert.equal(byCode['2100'], 16_000);
      await expectOk(ctx, biz.id);
    });

    test('a partial payment, then the rest: partially_paid then paid, balance derived', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'HSE-12' });
      const first = await aPayment(ctx, biz.id, { amountMinor: 30_000, accountRef: 'hse 12' });
      assert.equal(first.matched, 'customer');
      let detail = await getInvoiceDetail(store.db, biz.id, invoice.id);
      assert.equal(detail.invoice.status, 'partially_paid');
      assert.equal(detail.balanceMinor, 50_000);
      await aPayment(ctx, biz.id, { amountMinor: 50_000, accountRef: invoice.number });
      detail = await getInvoiceDetail(store.db, biz.id, invoice.id);
      assert.equal(detail.invoice.status, 'paid');
      assert.equal(detail.balanceMinor, 0);
      assert.equal(detail.allocations.length, 2);
      await expectOk(ctx, biz.id);
    });

    test('an overpayment becomes customer credit and settles the next invoice when it is issued', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice, customer } = await anInvoice(ctx, biz.id, { accountRef: 'A7', amountsMinor: [50_000] });
      await aPayment(ctx, biz.id, { amountMinor: 70_000, accountRef: 'A7' });
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'paid');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'customer_credit', 'KES', customer.id), 20_000);
      const next = await anInvoice(ctx, biz.id, { accountRef: 'A7', amountsMinor: [30_000] });
      const detail = await getInvoiceDetail(store.db, biz.id, next.invoice.id);
      assert.equal(detail.paidMinor, 20_000);
      assert.equal(detail.invoice.status, 'partially_paid');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'customer_credit', 'KES', customer.id), 0);
      await expectOk(ctx, biz.id);
    });

    test('a payment with an unknown account reference waits in suspense until matched by hand', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'B12' });
      const received = await aPayment(ctx, biz.id, { amountMinor: 80_000, accountRef: 'B21' });
      assert.equal(received.matched, 'suspense');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'suspense', 'KES'), 80_000);
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'open');
      const applied = await matchSuspensePayment(ctx, biz.id, received.payment.id, { invoiceId: invoice.id });
      assert.equal(applied.length, 1);
      assert.equal(await systemAccountBalance(store.db, biz.id, 'suspense', 'KES'), 0);
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'paid');
      await expectOk(ctx, biz.id);
    });

    test('the same provider transaction twice is recorded once; with another amount it is refused', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'D1' });
      const once = await aPayment(ctx, biz.id, { amountMinor: 10_000, accountRef: 'D1', providerRef: 'RKTQDM7W6S' });
      const twice = await aPayment(ctx, biz.id, { amountMinor: 10_000, accountRef: 'D1', providerRef: 'RKTQDM7W6S' });
      assert.equal(twice.duplicate, true);
      assert.equal(twice.payment.id, once.payment.id);
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).paidMinor, 10_000);
      await assert.rejects(aPayment(ctx, biz.id, { amountMinor: 99_000, accountRef: 'D1', providerRef: 'RKTQDM7W6S' }),
        (e: unknown) => e instanceof AppError && e.code === 'idempotency_mismatch');
      await expectOk(ctx, biz.id);
    });

    test('cancelling a partly paid invoice answers 409 and changes nothing; an unpaid one reverses its entry', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const paid = await anInvoice(ctx, biz.id, { accountRef: 'C1' });
      await aPayment(ctx, biz.id, { amountMinor: 1_000, accountRef: 'C1' });
      await assert.rejects(cancelInvoice(ctx, biz.id, paid.invoice.id), (e: unknown) => e instanceof AppError && e.status === 409);
      assert.equal((await getInvoiceDetail(store.db, biz.id, paid.invoice.id)).invoice.status, 'partially_paid');

      const unpaid = await anInvoice(ctx, biz.id, { accountRef: 'C2', amountsMinor: [40_000] });
      await cancelInvoice(ctx, biz.id, unpaid.invoice.id, 'sent in error');
      assert.equal((await getInvoiceDetail(store.db, biz.id, unpaid.invoice.id)).invoice.status, 'cancelled');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'accounts_receivable', 'KES'), 79_000);
      const trail = await auditTrail(store.db, biz.id, 'invoice', unpaid.invoice.id);
      assert.deepEqual(trail.map((t) => t.action), ['invoice.issued', 'invoice.cancelled']);
      assert.equal(trail[1]!.actor_id, 'test');
      const notices = await store.db.selectFrom('outbox_messages').select(['kind', 'recipient']).where('dedupe_key', '=', `cancellation:${unpaid.invoice.id}:sms`).execute();
      assert.deepEqual(notices, [{ kind: 'cancellation', recipient: '+254712345678' }]);
      await expectOk(ctx, biz.id);
    });

    test('unapplying a payment reopens the invoice; refunding the freed credit pays it back out', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { accountRef: 'E1', amountsMinor: [25_000] });
      const received = await aPayment(ctx, biz.id, { amountMinor: 25_000, accountRef: 'E1' });
      await reverseAllocation(ctx, biz.id, received.allocations[0]!.id, 'paid the wrong account');
      assert.equal((await getInvoiceDetail(store.db, biz.id, invoice.id)).invoice.status, 'open');
      await assert.rejects(reverseAllocation(ctx, biz.id, received.allocations[0]!.id, 'again'), (e: unknown) => e instanceof AppError && e.status === 409);
      await assert.rejects(refundPayment(ctx, biz.id, received.payment.id, 25_001, 'too much'), (e: unknown) => e instanceof AppError && e.code === 'over_allocation');
      await refundPayment(ctx, biz.id, received.payment.id, 25_000, 'customer asked');
      const report = await expectOk(ctx, biz.id);
      assert.equal(report.byCurrency.KES!.refundedMinor, 25_000);
      assert.equal(await systemAccountBalance(store.db, biz.id, 'mpesa_clearing', 'KES'), 0);
    });

    test('drafts post nothing until issued; overdue follows the due date in the business time zone', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, biz.id, { issue: false, dueDate: '2026-03-02' });
      assert.equal(invoice.status, 'draft');
      assert.equal(await systemAccountBalance(store.db, biz.id, 'accounts_receivable', 'KES'), 0);
      assert.equal(await issueInvoice(ctx, biz.id, invoice.id), 'open');
      // 2026-03-02 20:59 UTC is 23:59 in Nairobi: still the due date.
      ctx.clock.set('2026-03-02T20:59:00Z');
      assert.deepEqual(await markOverdueInvoices(ctx, biz.id), []);
      ctx.clock.set('2026-03-02T21:00:00Z');
      assert.deepEqual(await markOverdueInvoices(ctx, biz.id), [invoice.id]);
      assert.equal((await store.db.selectFrom('outbox_messages').select('kind').where('dedupe_key', '=', `overdue:${invoice.id}:sms`).execute()).length, 1);
      await expectOk(ctx, biz.id);
    });

    test('a batch is all or nothing: one bad invoice writes none and names its index', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const good = invoiceInput({ accountRef: 'F1' });
      const bad = invoiceInput({ accountRef: 'F2', dueDate: '2026-02-30' });
      await assert.rejects(createInvoices(ctx, biz.id, [good, bad]), (e: unknown) => e instanceof AppError && e.field === 'invoices[1].due_date');
      const count = await store.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).where('business_id', '=', biz.id).executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 0);
    });

    test('one business never sees another business’s invoices or customers', async () => {
      const ctx = testCtx(store);
      const a = await aBusiness(ctx);
      const b = await aBusiness(ctx);
      const { invoice } = await anInvoice(ctx, a.id, { accountRef: 'SAME' });
      await assert.rejects(getInvoiceDetail(store.db, b.id, invoice.id), (e: unknown) => e instanceof AppError && e.status === 404);
      // A payment to business B naming A's invoice number or account lands in B's suspense, not on A's invoice.
      const received = await aPayment(ctx, b.id, { amountMinor: 80_000, accountRef: invoice.number });
      assert.equal(received.matched, 'suspense');
      await assert.rejects(matchSuspensePayment(ctx, b.id, received.payment.id, { invoiceId: invoice.id }), (e: unknown) => e instanceof AppError && e.status === 404);
      assert.equal((await getInvoiceDetail(store.db, a.id, invoice.id)).paidMinor, 0);
    });
  });
}
