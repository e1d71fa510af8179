/** Versioned migrations, in order. A new migration is a new file added here; applied ones never change. */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_ledger_core.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_ledger_core': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
