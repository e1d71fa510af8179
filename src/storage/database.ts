/**
 * Opens the one query layer on either engine: SQLite (embedded default, file created on first
 * start) or PostgreSQL (`postgres://...`, for several server processes). The rest of the code sees
 * a `Store` and asks `store.engine` only where the engines' SQL truly differs (row locks).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, type LogConfig, type MigrationResultSet, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';
import { ImmediateSqliteDialect } from './sqlite-dialect.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export type Engine = 'sqlite' | 'postgres';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/billmanager.db';

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: Engine;
  readonly url: string;
  close(): Promise<void>;
}

export function engineOf(url: string): Engine {
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgres';
  if (url.startsWith('sqlite:')) return 'sqlite';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${url}")`);
}

/** `sqlite:./data/x.db`, `sqlite:///abs/x.db`, `sqlite::memory:` → a path for better-sqlite3. */
function sqlitePath(url: string): string {
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:' || rest === '') return ':memory:';
  return resolve(rest.replace(/^\/\//, ''));
}

/** Integers beyond 2^53 would silently lose precision: refuse them on the way out of PostgreSQL. */
function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`integer out of safe range: ${text}`);
  return value;
}

const PG_INT8_OID = 20;
const PG_NUMERIC_OID = 1700;

function postgresTypes(): pg.CustomTypesConfig {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      // SUM() over bigint yields numeric; every numeric we read is a sum of minor units.
      if (oid === PG_INT8_OID || oid === PG_NUMERIC_OID) return parseSafeInteger;
      return pg.types.getTypeParser(oid, format);
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export function openStore(url: string = DEFAULT_DATABASE_URL, opts: { poolSize?: number; log?: LogConfig } = {}): Store {
  const engine = engineOf(url);
  if (engine === 'sqlite') {
    const path = sqlitePath(url);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new BetterSqlite3(path);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('mmap_size = 1073741824');
    sqlite.pragma('temp_store = memory');
    const checkpointer = path === ':memory:' ? null : new WalCheckpointer(path, sqlite);
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite), afterCommit: checkpointer?.afterCommit }), log: opts.log });
    return {
      db, engine, url,
      close: async () => {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10, types: postgresTypes() });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: opts.log });
  return { db, engine, url, close: () => db.destroy() };
}

const STATEMENTS_CACHED_MAX = 1000;

/**
 * Kysely hands SQLite the same few hundred SQL strings over and over; preparing each again costs
 * about as much as running it. Prepared statements are kept (least recently used dropped first).
 */
function withStatementCache(sqlite: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENTS_CACHED_MAX) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}

export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
