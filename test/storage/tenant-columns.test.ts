/** Structure: every tenant-owned table carries business_id, and both engines migrate to the same tables and columns. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TableMetadata } from 'kysely';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

/** Tables that are not owned by one business, and why. */
const NOT_TENANT_OWNED = new Map([
  ['businesses', 'the tenants themselves'],
  ['kysely_migration', 'migration bookkeeping'],
  ['kysely_migration_lock', 'migration bookkeeping'],
]);
/** Tenant tables whose business_id may be null, and why. */
const NULLABLE_TENANT = new Map([
  ['audit_log', 'platform operator actions belong to no business'],
  ['api_tokens', 'the platform operator token belongs to no business'],
  ['sms_delivery_reports', 'a report for a message id we never sent belongs to no business, and is kept'],
  ['mpesa_callbacks', 'a callback to an unknown secret URL belongs to no business, and is kept for inspection'],
]);

const shapes = new Map<string, Record<string, string[]>>();

for (const { engine, skip } of ENGINES) {
  describe(`schema on ${engine}`, { skip }, () => {
    let store: TestStore;
    let tables: TableMetadata[];
    before(async () => {
      store = await openTestStore(engine);
      tables = await store.db.introspection.getTables({ withInternalKyselyTables: true });
      shapes.set(engine, Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name).sort()])));
    });
    after(async () => { await store?.dispose(); });

    test('every tenant-owned table carries business_id', () => {
      for (const table of tables) {
        if (NOT_TENANT_OWNED.has(table.name)) continue;
        const column = table.columns.find((c) => c.name === 'business_id');
        assert.ok(column, `${table.name} has no business_id`);
        if (!NULLABLE_TENANT.has(table.name)) assert.equal(column.isNullable, false, `${table.name}.business_id is nullable`);
      }
    });
  });
}

describe('both engines', { skip: ENGINES.find((e) => e.engine === 'postgres')!.skip }, () => {
  test('migrate to the same tables and columns', () => {
    assert.ok(shapes.get('sqlite') && shapes.get('postgres'), 'both engines were introspected');
    assert.deepEqual(shapes.get('postgres'), shapes.get('sqlite'));
  });
});
