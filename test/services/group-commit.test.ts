/**
 * Grouped transactions: works that arrive together may share a commit, yet each is atomic on its
 * own, and nobody is told of success before the commit that holds their rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { inGroupedTransaction } from '../../src/services/group-commit.js';
import type { Tx } from '../../src/services/tx.js';
import { insertPrepared } from '../../src/storage/prepared-query.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

const audit = (trx: Tx, id: string) => insertPrepared(trx, 'audit_log', [{
  id, business_id: null, actor_type: 'system', actor_id: 'test', action: 'group.probe', entity_type: 'probe', entity_id: id,
  request_id: null, data_json: '{}', created_at: '2026-03-02T07:00:00.000Z',
}]);

for (const { engine, skip } of ENGINES) {
  describe(`grouped transactions on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    const stored = async (prefix: string) => (await store.db.selectFrom('audit_log').select('id').where('id', 'like', `${prefix}%`).orderBy('id').execute()).map((r) => r.id);

    test('a work that fails is rolled back alone; the others arriving with it are written', async () => {
      const ctx = testCtx(store);
      const results = await Promise.allSettled(['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => inGroupedTransaction(ctx, async (trx) => {
        await audit(trx, `aud_${name}`);
        await audit(trx, `aud_${name}_second`);
        if (name === 'a3') throw new Error('a3 changed its mind');
        return name;
      })));
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      assert.match(String((results[2] as PromiseRejectedResult).reason), /a3 changed its mind/);
      assert.deepEqual(await stored('aud_a'), ['aud_a1', 'aud_a1_second', 'aud_a2', 'aud_a2_second', 'aud_a4', 'aud_a4_second', 'aud_a5', 'aud_a5_second']);
    });

    test('a work sees the rows of the works before it, as if each had committed alone', { skip: engine !== 'sqlite' && 'on PostgreSQL the works run side by side, each in its own transaction' }, async () => {
      const ctx = testCtx(store);
      const seen = await Promise.all([0, 1, 2, 3].map((i) => inGroupedTransaction(ctx, async (trx) => {
        const before = (await trx.selectFrom('audit_log').select('id').where('id', 'like', 'aud_b%').execute()).length;
        await audit(trx, `aud_b${i}`);
        return before;
      })));
      assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
    });

    test('when the commit fails, every work in the group fails and none of their rows stay', { skip: engine !== 'sqlite' && 'a shared commit exists on SQLite only' }, async () => {
      const ctx = testCtx(store);
      const results = await Promise.allSettled([0, 1, 2].map((i) => inGroupedTransaction(ctx, async (trx) => {
        await audit(trx, `aud_c${i}`);
        if (i === 1) {
          // A foreign key checked at COMMIT, not at the statement: the commit itself is refused.
          await sql`pragma defer_foreign_keys = on`.execute(trx);
          await sql`insert into allocations (id, business_id, payment_id, invoice_id, customer_id, amount_minor, reverses_allocation_id, journal_entry_id, created_at)
            values ('alloc_orphan', 'biz_none', 'pay_none', 'inv_none', 'cus_none', 1, null, 'je_none', '2026-03-02')`.execute(trx);
        }
        return i;
      })));
      assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
      assert.deepEqual(await stored('aud_c'), []);
      // The store is usable afterwards.
      await inGroupedTransaction(ctx, (trx) => audit(trx, 'aud_c_after'));
      assert.deepEqual(await stored('aud_c'), ['aud_c_after']);
    });
  });
}
