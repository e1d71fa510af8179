/**
 * Moves SQLite's WAL checkpoints off the event loop once a database is written to in earnest.
 * By default the connection that commits copies the WAL back into the database file whenever the
 * WAL passes 1,000 pages, and syncs both files while it does: under a stream of payments that was
 * half of every commit's cost, and the whole server waited on the disk meanwhile. Here, the first
 * time the WAL reaches that size, a worker thread with its own connection takes over (a PASSIVE
 * checkpoint every few milliseconds, which never blocks the writer). Durability is unchanged: the
 * same syncs happen, on another thread. The writer keeps a checkpoint of its own at a larger size,
 * in case the worker falls behind or fails.
 */
import { statSync } from 'node:fs';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's own default, in pages: past it, the writer would checkpoint on its own thread. */
const WAL_AUTOCHECKPOINT_PAGES = 1000;
/** While the worker runs, the writer still checkpoints past this many pages (a WAL of about 40 MB). */
const WAL_FALLBACK_PAGES = 10_000;
const CHECKPOINT_INTERVAL_MS = 20;
/** The WAL file's size is looked at once per this many commits, not on every one. */
const COMMITS_PER_LOOK = 32;

export class WalCheckpointer {
  readonly #path: string;
  readonly #sqlite: BetterSqlite3.Database;
  readonly #startBytes: number;
  #worker: Worker | null = null;
  #commits = 0;
  #done = false;

  constructor(path: string, sqlite: BetterSqlite3.Database) {
    this.#path = path;
    this.#sqlite = sqlite;
    this.#startBytes = WAL_AUTOCHECKPOINT_PAGES * (sqlite.pragma('page_size', { simple: true }) as number);
  }

  /** Whether the worker has taken over the checkpoints. */
  get running(): boolean {
    return this.#worker !== null;
  }

  /** Called after each committed transaction. */
  readonly afterCommit = (): void => {
    if (this.#worker || this.#done || ++this.#commits % COMMITS_PER_LOOK !== 0) return;
    if (walBytes(this.#path) >= this.#startBytes) this.#start();
  };

  #start(): void {
    const worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), { workerData: { path: this.#path, intervalMs: CHECKPOINT_INTERVAL_MS } });
    // A store left open must not keep the process alive.
    worker.unref();
    worker.once('error', () => {
      // The writer checkpoints on its own again, as before the worker.
      this.#worker = null;
      this.#done = true;
      if (this.#sqlite.open) this.#sqlite.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    });
    this.#sqlite.pragma(`wal_autocheckpoint = ${WAL_FALLBACK_PAGES}`);
    this.#worker = worker;
  }

  /** Before the store closes: the worker's connection goes first, so the writer's close still cleans up the WAL. */
  async stop(): Promise<void> {
    this.#done = true;
    const worker = this.#worker;
    if (!worker) return;
    this.#worker = null;
    const exited = once(worker, 'exit');
    worker.ref(); // until it has gone, or nothing would keep this process waiting for it
    worker.postMessage('stop');
    try {
      await exited;
    } catch {
      // It failed on its way out: nothing is left for it to do.
    }
  }
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}
