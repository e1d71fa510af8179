// The background checkpointer's thread (see wal-checkpointer.ts): its own connection to the
// database file copies committed WAL frames into it every few milliseconds, so the fsyncs of a
// checkpoint never stall the server's event loop. Plain JavaScript, so it runs however the
// server was started (tsx from the command line, or already compiled).
import { parentPort, workerData } from 'node:worker_threads';
import { constants, setPriority } from 'node:os';
import { clearInterval, setInterval } from 'node:timers';
import Database from 'better-sqlite3';

const { path, intervalMs } = workerData;
// Checkpoints are housekeeping: they yield the CPU to request handling. On Linux a priority is per
// thread, so only this one is lowered (elsewhere it would be the whole process). Falling behind
// only lets the WAL grow until the writer's own fallback checkpoint.
if (process.platform === 'linux') {
  try {
    setPriority(0, constants.priority.PRIORITY_BELOW_NORMAL);
  } catch {
    // Not allowed here: the default priority will do.
  }
}
const db = new Database(path, { fileMustExist: true });
// A checkpoint syncs the WAL before copying and the database after, as the writer's own would.
db.pragma('synchronous = NORMAL');

const timer = setInterval(() => {
  try {
    // PASSIVE: copy what no reader still needs, never wait for or block the writer.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Another checkpointer (a second server, the writer's fallback) holds the lock: next tick.
    if (error?.code !== 'SQLITE_BUSY' && error?.code !== 'SQLITE_LOCKED') throw error;
  }
}, intervalMs);

parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
