/** Opens the configured database, migrated, runs one command, and always closes it. */
import { loadConfig } from '../config.js';
import { systemClock } from '../domain/clock.js';
import type { Ctx } from '../services/context.js';
import { migrateToLatest, openStore, type Store } from '../storage/database.js';

export async function withStore<T>(work: (ctx: Ctx, store: Store) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig().databaseUrl);
  try {
    await migrateToLatest(store);
    return await work({ store, clock: systemClock, actor: { type: 'cli', id: process.env.USER ?? 'cli' } }, store);
  } finally {
    await store.close();
  }
}
