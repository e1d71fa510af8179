/**
 * Group commit for SQLite. A commit costs more than all the statements of one payment together
 * (every page it touched goes to the WAL), and SQLite has one writer anyway. So writes that arrive
 * together are run one after the other in one transaction, each inside its own SAVEPOINT: a work
 * that fails is rolled back alone and the others still commit. Nobody hears of success before the
 * COMMIT: if it fails, every work in the group fails. PostgreSQL runs each work in a transaction of
 * its own, since its connections write in parallel.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { Ctx } from './context.js';
import { inTransaction, type Tx } from './tx.js';

/** Works per transaction: bounds how long one commit holds the write lock and what one failed commit takes with it. */
export const GROUP_WORKS_MAX = 64;

const SAVEPOINT = CompiledQuery.raw('savepoint group_work');
const RELEASE = CompiledQuery.raw('release group_work');
const ROLLBACK_TO = CompiledQuery.raw('rollback to group_work');

interface Queued {
  work: (trx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

class GroupCommitter {
  readonly #db: Kysely<Database>;
  #queue: Queued[] = [];
  #draining = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  run<T>(work: (trx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining) return;
      this.#draining = true;
      // After the I/O phase, so every request that arrived with this one joins its group.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#commitGroup(this.#queue.splice(0, GROUP_WORKS_MAX));
    } finally {
      this.#draining = false;
    }
  }

  async #commitGroup(group: Queued[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.#db.transaction().execute(async (trx) => {
        for (const queued of group) {
          await trx.executeQuery(SAVEPOINT);
          let outcome: Outcome;
          try {
            outcome = { ok: true, value: await queued.work(trx) };
          } catch (error) {
            outcome = { ok: false, error };
          }
          // A failed ROLLBACK TO means SQLite already ended the transaction (disk full, I/O error):
          // nothing of this group may count as written, so the whole group fails.
          await trx.executeQuery(outcome.ok ? RELEASE : ROLLBACK_TO);
          if (!outcome.ok) await trx.executeQuery(RELEASE);
          outcomes.push(outcome);
        }
      });
    } catch (error) {
      group.forEach((queued, i) => {
        const own = outcomes[i];
        queued.reject(own && !own.ok ? own.error : error);
      });
      return;
    }
    group.forEach((queued, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) queued.resolve(outcome.value);
      else queued.reject(outcome.error);
    });
  }
}

const committers = new WeakMap<Kysely<Database>, GroupCommitter>();

/**
 * Like inTransaction, for writes that arrive many at a time (payments from the rails): on SQLite
 * the work may share its transaction with others, each atomic on its own; on PostgreSQL it has one
 * of its own. The work must not depend on being alone in the transaction, only on its own rows.
 */
export function inGroupedTransaction<T>(ctx: Ctx, work: (trx: Tx) => Promise<T>): Promise<T> {
  if (ctx.store.engine !== 'sqlite') return inTransaction(ctx, work);
  let committer = committers.get(ctx.store.db);
  if (!committer) {
    committer = new GroupCommitter(ctx.store.db);
    committers.set(ctx.store.db, committer);
  }
  return committer.run(work);
}
