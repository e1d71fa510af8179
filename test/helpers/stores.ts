/**
 * The same suite runs on both engines. SQLite always runs; PostgreSQL runs when TEST_DATABASE_URL
 * is set (CI sets it) and is reported as skipped otherwise, never silently passed. Each PostgreSQL
 * store gets a schema of its own, so test files never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../../src/domain/clock.js';
import { migrateToLatest, openStore, type Engine, type Store } from '../../src/storage/database.js';
import type { Ctx } from '../../src/services/context.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export interface EngineCase {
  engine: Engine;
  /** A reason to skip, given to node:test so the report shows it. */
  skip: string | false;
}

export const ENGINES: EngineCase[] = [
  { engine: 'sqlite', skip: false },
  { engine: 'postgres', skip: TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: PostgreSQL tests skipped' },
];

export interface TestStore extends Store {
  /** A URL another process can open to reach the same data. */
  shareableUrl: string;
  dispose(): Promise<void>;
}

export async function openTestStore(engine: Engine, opts: { poolSize?: number } = {}): Promise<TestStore> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'billmanager-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const store = openStore(url);
    await migrateToLatest(store);
    return { ...store, shareableUrl: url, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = withSearchPath(TEST_DATABASE_URL, schema);
  const store = openStore(url, opts);
  await migrateToLatest(store);
  return {
    ...store,
    shareableUrl: url,
    dispose: async () => {
      await store.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
      await cleanup.end();
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export function testCtx(store: Store, clock = new ManualClock('2026-03-02T07:00:00.000Z')): Ctx & { clock: ManualClock } {
  return { store, clock, actor: { type: 'system', id: 'test', requestId: null } };
}
