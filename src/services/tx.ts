/**
 * Transactions and row locks. Every money movement and the state change it explains are written in
 * one transaction. Nothing inside may await the network: on SQLite a transaction holds the only
 * write lock, so one slow HTTP call would stall every request.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Engine } from '../storage/database.js';
import { insertPrepared, PREPARED_INSERT_ROWS_MAX } from '../storage/prepared-query.js';
import type { Database } from '../storage/schema.js';
import type { Ctx } from './context.js';

export type Tx = Transaction<Database>;
export type Q = Kysely<Database>;

export function inTransaction<T>(ctx: Ctx, work: (trx: Tx) => Promise<T>): Promise<T> {
  return ctx.store.db.transaction().execute(work);
}

/**
 * Row locks exist on PostgreSQL; on SQLite the transaction's BEGIN IMMEDIATE already serialises
 * writers. NO KEY UPDATE, not UPDATE: inserting a row that references the locked one (a journal
 * line naming the customer) takes a KEY SHARE lock, which must not deadlock against ours.
 */
export function forUpdate<QB extends { forNoKeyUpdate(): QB }>(engine: Engine, qb: QB): QB {
  return engine === 'postgres' ? qb.forNoKeyUpdate() : qb;
}

/** A unique-constraint violation on either engine (the race that idempotency keys resolve). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

// SQLite allows 32,766 bound values per statement; stay well under it whatever the row width.
const BOUND_VALUES_MAX = 30_000;

/** Multi-row inserts in chunks: one statement per few hundred rows instead of one per row. */
export async function insertRows<T extends keyof Database & string>(q: Q, table: T, rows: ReadonlyArray<Insertable<Database[T]>>): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length <= PREPARED_INSERT_ROWS_MAX) return insertPrepared(q, table, rows);
  const columns = Math.max(1, Object.keys(rows[0] as object).length);
  const chunk = Math.max(1, Math.floor(BOUND_VALUES_MAX / columns));
  for (let i = 0; i < rows.length; i += chunk) {
    // Kysely cannot relate a generic table name to its row type; the signature above already checked it.
    await q.insertInto(table).values(rows.slice(i, i + chunk) as never).execute();
  }
}
