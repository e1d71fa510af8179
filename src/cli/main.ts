/** The `billmanager` command line: serve, migrate, and the set-up a business needs before its first invoice. */
import { Command, Option } from 'commander';
import { AppError } from '../domain/errors.js';
import { createApiToken } from '../services/auth/api-tokens.js';
import { createApp } from '../services/auth/apps.js';
import { createBusiness } from '../services/businesses/create-business.js';
import { verifyLedger } from '../services/ledger/verify-ledger.js';
import { emit } from './output.js';
import { railCommands } from './rails.js';
import { serve } from './serve.js';
import { withStore } from './with-store.js';

const program = new Command('billmanager')
  .description('Self-hosted billing and collections for businesses paid by mobile money')
  .showHelpAfterError();

const json = () => new Option('--json', 'print JSON for scripts');

program.command('serve').description('start the HTTP server (migrates first)')
  .option('--port <port>', 'port (default $PORT or 8080)')
  .option('--host <host>', 'interface (default $HOST or 127.0.0.1)')
  .option('--demo', 'create a demo business and print an admin token on start')
  .action(async (opts: { port?: string; host?: string; demo?: boolean }) => serve(opts));

program.command('migrate').description('apply pending database migrations').addOption(json())
  .action(async (opts: { json?: boolean }) => withStore(async (_ctx, store) => {
    const applied = await store.db.selectFrom('kysely_migration' as never).select('name' as never).execute() as Array<{ name: string }>;
    emit(!!opts.json, { engine: store.engine, migrations: applied.map((m) => m.name) }, `database (${store.engine}) is at ${applied.at(-1)?.name ?? 'no migration'}`);
  }));

const business = program.command('business').description('businesses (tenants)');
business.command('create').description('create a business; prints its id')
  .requiredOption('--name <name>', 'business name')
  .option('--shortcode <shortcode>', 'M-PESA paybill or till number')
  .addOption(new Option('--shortcode-type <type>', 'shortcode type').choices(['paybill', 'till']).default('paybill'))
  .option('--currency <code>', 'ISO 4217 currency', 'KES')
  .option('--timezone <zone>', 'IANA time zone', 'Africa/Nairobi')
  .option('--country <code>', 'ISO 3166 country', 'KE')
  .addOption(json())
  .action(async (opts: { name: string; shortcode?: string; shortcodeType: 'paybill' | 'till'; currency: string; timezone: string; country: string; json?: boolean }) =>
    withStore(async (ctx) => {
      const created = await createBusiness(ctx, { name: opts.name, shortcode: opts.shortcode, shortcodeKind: opts.shortcodeType, currency: opts.currency, timezone: opts.timezone, country: opts.country });
      emit(!!opts.json, { ...created, shortcode: opts.shortcode ?? null }, created.id);
    }));

const token = program.command('token').description('API tokens for the native API');
token.command('create').description('create a bearer token; printed once, stored hashed')
  .requiredOption('--business <id>', 'business id')
  .addOption(new Option('--role <role>', 'role').choices(['admin', 'staff']).makeOptionMandatory())
  .option('--name <name>', 'a label for the token')
  .addOption(json())
  .action(async (opts: { business: string; role: string; name?: string; json?: boolean }) => withStore(async (ctx) => {
    const created = await createApiToken(ctx, { businessId: opts.business, role: opts.role, name: opts.name });
    emit(!!opts.json, { id: created.id, token: created.token, role: created.role, business_id: opts.business }, created.token);
  }));

const app = program.command('app').description('Daraja-style apps for the Bill Manager face');
app.command('create').description('create a consumer key and secret; the secret is printed once')
  .requiredOption('--business <id>', 'business id')
  .addOption(json())
  .action(async (opts: { business: string; json?: boolean }) => withStore(async (ctx) => {
    const created = await createApp(ctx, { businessId: opts.business });
    emit(!!opts.json, { id: created.id, consumer_key: created.consumerKey, consumer_secret: created.consumerSecret },
      `consumer key:    ${created.consumerKey}\nconsumer secret: ${created.consumerSecret}`);
  }));

const ledger = program.command('ledger').description('the double-entry ledger');
ledger.command('verify').description('recompute the ledger invariants for a business')
  .requiredOption('--business <id>', 'business id')
  .addOption(json())
  .action(async (opts: { business: string; json?: boolean }) => withStore(async (ctx) => {
    const report = await verifyLedger(ctx.store.db, opts.business);
    emit(!!opts.json, { ...report }, report.ok ? 'ledger OK' : `ledger problems:\n${report.problems.join('\n')}`);
    if (!report.ok) process.exitCode = 1;
  }));

railCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
  process.stderr.write(`billmanager: ${message}\n`);
  process.exitCode = error instanceof AppError && error.status < 500 ? 2 : 1;
}
