/**
 * Payables under random operations, on both engines: the trial balance stays balanced, and each
 * bill's amount due is its total minus its payments (zero once voided). On PostgreSQL, payments
 * racing past the amount due: exactly one wins; bills created at once get numbers with no gap.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { AppError } from '../../src/domain/errors.js';
import { trialBalance } from '../../src/services/ledger/balances.js';
import { billDetail } from '../../src/services/payables/bill-queries.js';
import { payBill } from '../../src/services/payables/pay-bill.js';
import { createBill, voidBill } from '../../src/services/payables/record-bill.js';
import { createSupplier } from '../../src/services/payables/suppliers.js';
import { TEST_KEYS } from '../helpers/app.js';
import { aBusiness } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

const op = fc.oneof(
  fc.record({ kind: fc.constant('bill' as const), amounts: fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 3 }), vatBps: fc.constantFrom(0, 750, 1600) }),
  fc.record({ kind: fc.constant('pay' as const), pick: fc.nat(), amount: fc.integer({ min: 1, max: 600_000 }), whtBps: fc.constantFrom(0, 500, 1000) }),
  fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }),
);

async function setup(store: TestStore) {
  const ctx = testCtx(store);
  const biz = await aBusiness(ctx);
  const supplier = await createSupplier(ctx, TEST_KEYS, biz.id, { name: 'Supplier' });
  const expense = await store.db.selectFrom('accounts').select('id').where('business_id', '=', biz.id).where('code', '=', '5000').executeTakeFirstOrThrow();
  const newBill = (amounts: number[], vatRateBps = 0) => createBill(ctx, biz.id, { supplierId: supplier.id, billDate: '2026-03-01', dueDate: '2026-03-31', vatRateBps,
    lines: amounts.map((a, i) => ({ description: `line ${i}`, quantity: 1, unitPriceMinor: a, accountId: expense.id })) });
  return { ctx, biz, newBill };
}

for (const { engine, skip } of ENGINES) {
  describe(`payables invariants on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine, { poolSize: 8 }); });
    after(async () => { await store?.dispose(); });

    test('random bills, payments with and without WHT, and voids keep the books straight', async () => {
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 3, maxLength: 15 }), async (ops) => {
        const { ctx, biz, newBill } = await setup(store);
        const bills: string[] = [];
        const paid = new Map<string, number>();
        for (const step of ops) {
          try {
            if (step.kind === 'bill') bills.push(await newBill(step.amounts, step.vatBps));
            else if (bills.length && step.kind === 'pay') {
              const id = bills[step.pick % bills.length]!;
              await payBill(ctx, biz.id, id, { amountMinor: step.amount, whtRateBps: step.whtBps });
              paid.set(id, (paid.get(id) ?? 0) + step.amount);
            } else if (bills.length && step.kind === 'void') await voidBill(ctx, biz.id, bills[step.pick % bills.length]!, 'property');
          } catch (error) {
            if (!(error instanceof AppError)) throw error;
          }
          const rows = await trialBalance(store.db, biz.id);
          assert.equal(rows.reduce((s, r) => s + r.debitMinor, 0), rows.reduce((s, r) => s + r.creditMinor, 0));
          for (const id of bills) {
            const d = await billDetail(store.db, biz.id, id, biz.timezone, ctx.clock.now());
            assert.equal(d.paidMinor, paid.get(id) ?? 0);
            assert.equal(d.dueMinor, d.bill.status === 'voided' ? 0 : Number(d.bill.total_minor) - d.paidMinor);
            assert.ok(d.dueMinor >= 0);
          }
        }
      }), { numRuns: 30 });
    });

    test('two payments racing past the amount due: exactly one succeeds; concurrent bills number without gaps', async () => {
      const { ctx, biz, newBill } = await setup(store);
      const id = await newBill([100_000]);
      const results = await Promise.allSettled([60_000, 70_000].map((amountMinor) => payBill(ctx, biz.id, id, { amountMinor })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      assert.ok(results.some((r) => r.status === 'rejected' && r.reason instanceof AppError && r.reason.field === 'amount'));
      await Promise.all(Array.from({ length: 10 }, () => newBill([1_000])));
      const numbers = (await store.db.selectFrom('bills').select('number').where('business_id', '=', biz.id).execute()).map((r) => r.number).sort();
      assert.deepEqual(numbers, Array.from({ length: 11 }, (_, i) => `BILL-2026-${String(i + 1).padStart(3, '0')}`));
    });
  });
}
