/**
 * `billmanager rails mpesa|momo set|show`: a business's rail settings from the command line, the
 * same services as PUT/GET /api/admin/rails/…, secrets sealed with the server's data keys.
 */
import { Option, type Command } from 'commander';
import { loadConfig } from '../config.js';
import { loadKeyRing } from '../security/secret-box.js';
import { momoSettingsOf, publicMomoSettings, putMomoSettings } from '../services/momo/momo-settings.js';
import { mpesaSettingsOf, publicSettings, putMpesaSettings } from '../services/mpesa/mpesa-settings.js';
import { emit } from './output.js';
import { withStore } from './with-store.js';

const json = () => new Option('--json', 'print JSON for scripts');
const lines = (settings: Record<string, unknown>) => Object.entries(settings).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('\n');

export function railCommands(program: Command): void {
  const rails = program.command('rails').description('payment rail settings of a business (M-PESA, MTN MoMo)');
  const keys = () => loadKeyRing(process.env, loadConfig().keyFile);

  const mpesa = rails.command('mpesa').description('M-PESA (Daraja) settings');
  mpesa.command('set').description('save the Daraja settings; secrets are sealed at rest')
    .requiredOption('--business <id>', 'business id')
    .requiredOption('--shortcode <shortcode>', 'paybill or till number')
    .addOption(new Option('--shortcode-type <type>', 'shortcode type').choices(['paybill', 'till']).default('paybill'))
    .requiredOption('--consumer-key <key>', 'Daraja app consumer key')
    .option('--consumer-secret <secret>', 'Daraja app consumer secret (kept when left out on a change)')
    .option('--passkey <passkey>', 'Lipa na M-PESA Online passkey (for STK push)')
    .option('--environment <env>', 'sandbox, production, or a base URL', 'sandbox')
    .option('--reject-unknown-accounts', 'refuse payments to account numbers we do not know, at validation')
    .addOption(json())
    .action(async (opts: { business: string; shortcode: string; shortcodeType: 'paybill' | 'till'; consumerKey: string; consumerSecret?: string; passkey?: string; environment: string; rejectUnknownAccounts?: boolean; json?: boolean }) =>
      withStore(async (ctx) => {
        await putMpesaSettings(ctx, keys(), opts.business, { shortcode: opts.shortcode, shortcodeType: opts.shortcodeType, consumerKey: opts.consumerKey, consumerSecret: opts.consumerSecret,
          passkey: opts.passkey, environment: opts.environment, rejectUnknownAccounts: opts.rejectUnknownAccounts });
        const shown = publicSettings(await mpesaSettingsOf(ctx.store.db, opts.business));
        emit(!!opts.json, shown, lines(shown));
      }));
  mpesa.command('show').description('the Daraja settings, without secrets').requiredOption('--business <id>', 'business id').addOption(json())
    .action(async (opts: { business: string; json?: boolean }) => withStore(async (ctx) => {
      const shown = publicSettings(await mpesaSettingsOf(ctx.store.db, opts.business));
      emit(!!opts.json, shown, lines(shown));
    }));

  const momo = rails.command('momo').description('MTN MoMo settings');
  momo.command('set').description('save the MoMo settings (checked by fetching a token); in sandbox the API user and key are provisioned when left out')
    .requiredOption('--business <id>', 'business id')
    .requiredOption('--subscription-key <key>', 'Collection product subscription key')
    .option('--api-user <uuid>', 'API user')
    .option('--api-key <key>', 'API key')
    .option('--environment <env>', 'sandbox, mtnuganda, mtnghana, …', 'sandbox')
    .option('--base-url <url>', 'a simulator or proxy instead of MTN’s host')
    .option('--currency <code>', 'currency (default: the market’s)')
    .option('--ussd-prefix <prefix>', 'MoMoPay short code string, e.g. *165*3')
    .option('--payee-msisdn <msisdn>', 'the business’s MoMo number')
    .option('--disabled', 'save, but do not offer MoMo yet')
    .addOption(json())
    .action(async (opts: { business: string; subscriptionKey: string; apiUser?: string; apiKey?: string; environment: string; baseUrl?: string; currency?: string; ussdPrefix?: string; payeeMsisdn?: string; disabled?: boolean; json?: boolean }) =>
      withStore(async (ctx) => {
        const shown = await putMomoSettings(ctx, keys(), opts.business, { subscriptionKey: opts.subscriptionKey, apiUser: opts.apiUser, apiKey: opts.apiKey, environment: opts.environment,
          baseUrl: opts.baseUrl, currency: opts.currency, ussdPrefix: opts.ussdPrefix, payeeMsisdn: opts.payeeMsisdn, enabled: !opts.disabled }, loadConfig().publicUrl);
        emit(!!opts.json, shown, lines(shown));
      }));
  momo.command('show').description('the MoMo settings, without secrets').requiredOption('--business <id>', 'business id').addOption(json())
    .action(async (opts: { business: string; json?: boolean }) => withStore(async (ctx) => {
      const shown = publicMomoSettings(await momoSettingsOf(ctx.store.db, opts.business));
      emit(!!opts.json, shown, lines(shown));
    }));
}
