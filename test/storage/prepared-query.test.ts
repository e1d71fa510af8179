/** Queries compiled once and run with fresh values give what Kysely gives, and refuse what they cannot reuse. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { insertPrepared, preparedQuery } from '../../src/storage/prepared-query.js';
import type { AuditLogTable } from '../../src/storage/schema.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const auditRow = (id: string, action: string, data_json = '{}'): AuditLogTable => ({
  id, business_id: null, actor_type: 'system', actor_id: 'test', action, entity_type: 'probe', entity_id: id,
  request_id: null, data_json, created_at: '2026-03-02T07:00:00.000Z',
});

const byAction = preparedQuery((db, args: { action: string; entityType: string }) => db.selectFrom('audit_log')
  .select(['id', 'data_json']).where('action', '=', args.action).where('entity_type', '=', args.entityType).orderBy('id'));

for (const { engine, skip } of ENGINES) {
  describe(`prepared queries on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    test('a prepared select binds the values of each call, in and out of transactions', async () => {
      await insertPrepared(store.db, 'audit_log', [auditRow('aud_p1', 'probe.a'), auditRow('aud_p2', 'probe.b')]);
      await insertPrepared(store.db, 'audit_log', [auditRow('aud_p3', 'probe.a')]);
      assert.deepEqual((await byAction.all(store.db, { action: 'probe.a', entityType: 'probe' })).map((r) => r.id), ['aud_p1', 'aud_p3']);
      assert.deepEqual((await byAction.all(store.db, { action: 'probe.b', entityType: 'probe' })).map((r) => r.id), ['aud_p2']);
      assert.equal(await byAction.first(store.db, { action: 'probe.c', entityType: 'probe' }), undefined);
      await store.db.transaction().execute(async (trx) => {
        await insertPrepared(trx, 'audit_log', [auditRow('aud_p4', 'probe.c')]);
        assert.equal((await byAction.first(trx, { action: 'probe.c', entityType: 'probe' }))?.id, 'aud_p4');
      });
      const viaKysely = await store.db.selectFrom('audit_log').select(['id', 'data_json']).where('action', '=', 'probe.a').where('entity_type', '=', 'probe').orderBy('id').execute();
      assert.deepEqual(await byAction.all(store.db, { action: 'probe.a', entityType: 'probe' }), viaKysely);
    });

    test('a prepared update reports the rows it changed', async () => {
      const setData = preparedQuery((db, args: { id: string; data: string }) => db.updateTable('audit_log').set({ data_json: args.data }).where('id', '=', args.id));
      assert.equal(await setData.run(store.db, { id: 'aud_p1', data: '{"n":1}' }), 1);
      assert.equal(await setData.run(store.db, { id: 'aud_missing', data: '{}' }), 0);
      assert.equal((await byAction.first(store.db, { action: 'probe.a', entityType: 'probe' }))?.data_json, '{"n":1}');
    });

    test('an argument that would shape the SQL instead of binding a value is refused when compiled', async () => {
      const shaping = preparedQuery((db, args: { column: string }) => db.selectFrom('audit_log').select('id').where(sql.ref(args.column), '=', 'x'));
      await assert.rejects(shaping.all(store.db, { column: 'action' }), /shaped the SQL/);
    });

    test('arguments other than those it was compiled with are refused, not silently dropped', async () => {
      const once = preparedQuery((db, args: { action: string }) => db.selectFrom('audit_log').select('id').where('action', '=', args.action));
      await once.all(store.db, { action: 'probe.a' });
      await assert.rejects(once.all(store.db, { action: 'probe.a', extra: 1 } as { action: string }), /differ from those it was compiled with/);
    });

    test('rows with an undefined value or of another shape still insert, through Kysely', async () => {
      await insertPrepared(store.db, 'audit_log', [{ ...auditRow('aud_p5', 'probe.d'), request_id: undefined }]);
      const { request_id: _dropped, ...withoutRequestId } = auditRow('aud_p7', 'probe.d');
      await insertPrepared(store.db, 'audit_log', [{ ...auditRow('aud_p6', 'probe.d'), request_id: 'req_1' }, withoutRequestId]);
      const rows = await store.db.selectFrom('audit_log').select(['id', 'request_id']).where('action', '=', 'probe.d').orderBy('id').execute();
      assert.deepEqual(rows, [{ id: 'aud_p5', request_id: null }, { id: 'aud_p6', request_id: 'req_1' }, { id: 'aud_p7', request_id: null }]);
    });
  });
}
