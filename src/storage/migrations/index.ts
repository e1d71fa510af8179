/** Versioned migrations, in order. A new migration is a new file added here; applied ones never change. */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_ledger_core.js';
import * as m0002 from './0002_outbox.js';
import * as m0003 from './0003_payables.js';
import * as m0004 from './0004_payment_matching.js';
import * as m0005 from './0005_billmanager.js';
import * as m0007 from './0007_mpesa_rail.js';
import * as m0008 from './0008_sms_delivery_reports.js';
import * as m0009 from './0009_notification_settings.js';
import * as m0010 from './0010_catalog.js';
import * as m0011 from './0011_cash_on_delivery.js';
import * as m0012 from './0012_list_indexes.js';
import * as m0013 from './0013_pesapal.js';
import * as m0014 from './0014_momo.js';
import * as m0015 from './0015_drop_redundant_payment_index.js';

const MIGRATIONS: Record<string, Migration> = {
  '0001_ledger_core': m0001,
  '0002_outbox': m0002,
  '0003_payables': m0003,
  '0004_payment_matching': m0004,
  '0005_billmanager': m0005,
  '0007_mpesa_rail': m0007,
  '0008_sms_delivery_reports': m0008,
  '0009_notification_settings': m0009,
  '0010_catalog': m0010,
  '0011_cash_on_delivery': m0011,
  '0012_list_indexes': m0012,
  '0013_pesapal': m0013,
  '0014_momo': m0014,
  '0015_drop_redundant_payment_index': m0015,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
