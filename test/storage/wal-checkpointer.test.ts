/** Once a SQLite database is written to in earnest, its WAL is copied back by a worker thread, not by the writer. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { WalCheckpointer } from '../../src/storage/wal-checkpointer.js';

/** Commits of about 200 kB each, told to the checkpointer as the store's driver does. */
function writeCommits(sqlite: BetterSqlite3.Database, checkpointer: WalCheckpointer, count: number): void {
  const insert = sqlite.prepare('insert into blobs (data) values (randomblob(200000))');
  for (let i = 0; i < count; i++) {
    insert.run();
    checkpointer.afterCommit();
  }
}

test('a busy database gets a background checkpointer, which copies the WAL into the database file while the writer goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'billmanager-wal-'));
  const path = join(dir, 'wal.db');
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('create table blobs (id integer primary key, data blob)');
  const checkpointer = new WalCheckpointer(path, sqlite);
  try {
    writeCommits(sqlite, checkpointer, 8);
    assert.equal(checkpointer.running, false, 'a small WAL is left to SQLite');
    writeCommits(sqlite, checkpointer, 56);
    assert.equal(checkpointer.running, true, 'past 1,000 pages of WAL the worker takes over');
    assert.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 10_000, 'the writer keeps a checkpoint of its own only as a fallback');

    // Fewer pages than the writer's fallback: only the worker can have copied them into the file.
    const before = statSync(path).size;
    writeCommits(sqlite, checkpointer, 40);
    const deadline = Date.now() + 5_000;
    while (statSync(path).size < before + 40 * 200_000 && Date.now() < deadline) await sleep(20);
    assert.ok(statSync(path).size >= before + 40 * 200_000, 'the worker copied the new pages into the database file');

    await checkpointer.stop();
    assert.equal(checkpointer.running, false);
    assert.equal(sqlite.prepare('select count(*) from blobs').pluck().get(), 104);
    assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    await checkpointer.stop();
    sqlite.close();
  }
  // The writer closed last, so the WAL was folded in and removed as usual.
  assert.equal(existsSync(`${path}-wal`), false);
  rmSync(dir, { recursive: true, force: true });
});
