/**
 * The ledger's invariants under random sequences of operations, on both engines: after every step
 * the journal balances, no invoice is over-allocated, allocations + credit + suspense = payments −
 * refunds, the receivable equals what invoices still owe, and each invoice's status agrees with
 * its derived balance. Operations the domain refuses (AppError) are part of the game.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors.js';
import { cancelInvoice } from '../../src/services/invoices/cancel-invoice.js';
import { createInvoice } from '../../src/services/invoices/create-invoices.js';
import { issueInvoice } from '../../src/services/invoices/issue-invoice.js';
import { markOverdueInvoices } from '../../src/services/invoices/mark-overdue.js';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { allocateManually } from '../../src/services/payments/allocate-manually.js';
import { matchSuspensePayment } from '../../src/services/payments/match-suspense.js';
import { receivePayment } from '../../src/services/payments/receive-payment.js';
import { refundPayment } from '../../src/services/payments/refund-payment.js';
import { reverseAllocation } from '../../src/services/payments/reverse-allocation.js';
import { aBusiness } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

const REFS = ['A1', 'B-2', 'C3', 'D4'];

const op = fc.oneof(
  fc.record({ kind: fc.constant('invoice' as const), ref: fc.constantFrom(...REFS), amounts: fc.array(fc.integer({ min: 1, max: 50_000 }), { minLength: 1, maxLength: 3 }), taxBps: fc.constantFrom(0, 750, 1600), draft: fc.boolean() }),
  fc.record({ kind: fc.constant('issue' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('pay' as const), typed: fc.constantFrom('a1', 'b 2', '#C3', 'd-4', 'ZZ9', 'invoice'), amount: fc.integer({ min: 1, max: 120_000 }), replay: fc.boolean(), pick: fc.nat() }),
  fc.record({ kind: fc.constant('match' as const), pick: fc.nat(), target: fc.nat() }),
  fc.record({ kind: fc.constant('split' as const), pick: fc.nat(), targets: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 60_000 })), { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('unapply' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('refund' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 80_000 }) }),
  fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 20 }) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

for (const { engine, skip } of ENGINES) {
  describe(`ledger invariants under random operations on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    test('any sequence keeps the journal balanced and every shilling accounted for', async () => {
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => {
        const ctx = testCtx(store);
        const biz = await aBusiness(ctx);
        const invoices: string[] = [];
        const numbers: string[] = [];
        const payments: Array<{ id: string; ref: string; amount: number }> = [];
        const allocations: string[] = [];
        let tx = 0;
        for (const step of ops as Op[]) {
          try {
            await apply(step);
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
          }
          const report = await verifyLedger(store.db, biz.id);
          assert.deepEqual(report.problems, [], `after ${JSON.stringify(step)}`);
          await statusesAgree(biz.id);
        }

        async function apply(step: Op): Promise<void> {
          const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
          switch (step.kind) {
            case 'invoice': {
              const { invoice } = await createInvoice(ctx, biz.id, {
                customer: { accountRef: step.ref, name: `Customer ${step.ref}` }, name: 'Fees', dueDate: '2026-03-20', issue: !step.draft,
                items: step.amounts.map((amount, i) => ({ name: `item ${i}`, quantity: 1 + (amount % 3), unitPriceMinor: amount, taxRateBps: step.taxBps })),
              });
              invoices.push(invoice.id);
              numbers.push(invoice.number);
              return;
            }
            case 'issue': { const id = pick(invoices, step.pick); if (id) await issueInvoice(ctx, biz.id, id); return; }
            case 'cancel': { const id = pick(invoices, step.pick); if (id) await cancelInvoice(ctx, biz.id, id, 'property'); return; }
            case 'pay': {
              const replay = step.replay ? pick(payments, step.pick) : undefined;
              const providerRef = replay?.ref ?? `PT${++tx}`;
              const amountMinor = replay?.amount ?? step.amount;
              const typed = step.typed === 'invoice' ? (pick(numbers, step.pick) ?? 'none') : step.typed;
              const result = await receivePayment(ctx, biz.id, { rail: 'mpesa_c2b', providerRef, amountMinor, currency: 'KES', accountRef: typed });
              if (!result.duplicate) payments.push({ id: result.payment.id, ref: providerRef, amount: amountMinor });
              allocations.push(...result.allocations.map((a) => a.id));
              return;
            }
            case 'match': {
              const payment = pick(payments, step.pick);
              const invoiceId = pick(invoices, step.target);
              if (payment && invoiceId) allocations.push(...(await matchSuspensePayment(ctx, biz.id, payment.id, { invoiceId })).map((a) => a.id));
              return;
            }
            case 'split': {
              const payment = pick(payments, step.pick);
              const parts = step.targets.map(([n, amountMinor]) => ({ invoiceId: pick(invoices, n)!, amountMinor })).filter((p) => p.invoiceId);
              if (payment && parts.length) allocations.push(...(await allocateManually(ctx, biz.id, payment.id, parts)).map((a) => a.id));
              return;
            }
            case 'unapply': { const id = pick(allocations, step.pick); if (id) await reverseAllocation(ctx, biz.id, id, 'property'); return; }
            case 'refund': { const payment = pick(payments, step.pick); if (payment) await refundPayment(ctx, biz.id, payment.id, step.amount, 'property'); return; }
            case 'days': { ctx.clock.advance(step.days * 86_400_000); await markOverdueInvoices(ctx, biz.id); return; }
          }
        }
      }), { numRuns: 100 });
    });

    async function statusesAgree(businessId: string): Promise<void> {
      const rows = await store.db.selectFrom('invoices as i')
        .select((eb) => ['i.id', 'i.status', 'i.total_minor',
          eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.invoice_id', '=', 'i.id').as('allocated')])
        .where('i.business_id', '=', businessId).execute();
      for (const row of rows) {
        const balance = Number(row.total_minor) - Number(row.allocated ?? 0);
        if (row.status === 'paid') assert.equal(balance, 0, `paid invoice ${row.id} has balance ${balance}`);
        if (['open', 'partially_paid', 'overdue'].includes(row.status)) assert.ok(balance > 0, `${row.status} invoice ${row.id} has balance ${balance}`);
        if (row.status === 'partially_paid') assert.ok(Number(row.allocated) > 0);
      }
    }
  });
}
