/**
 * A business's MTN MoMo settings. Subscription key and API key are sealed at rest and never read
 * back. In sandbox the API user and key can be provisioned for the business. Saving checks the
 * credentials by fetching a token. One client per business is kept, so its token is shared until
 * the settings change.
 */
import type { Clock } from '../../domain/clock.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { parseCurrency } from '../../domain/money.js';
import { parseHttpBaseUrl } from '../../domain/urls.js';
import { defaultBaseUrl, MOMO_MARKETS } from '../../rails/momo/markets.js';
import { MomoClient, provisionSandboxUser } from '../../rails/momo/momo-client.js';
import { momoUssdString } from '../../rails/momo/ussd.js';
import { open, seal, type KeyRing } from '../../security/secret-box.js';
import type { MomoSettingsTable } from '../../storage/schema-momo.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { perBusinessCache } from '../settings-cache.js';
import type { Q } from '../tx.js';

export interface MomoSettingsInput {
  subscriptionKey: string;
  apiUser?: string;
  apiKey?: string;
  /** sandbox, mtnuganda, mtnghana, … */
  environment: string;
  /** A simulator or proxy instead of MTN's host. */
  baseUrl?: string;
  currency?: string;
  ussdPrefix?: string;
  payeeMsisdn?: string;
  enabled?: boolean;
}

export async function putMomoSettings(ctx: Ctx, keys: KeyRing, businessId: string, input: MomoSettingsInput, publicUrl: string): Promise<ReturnType<typeof publicMomoSettings>> {
  const market = MOMO_MARKETS[input.environment];
  if (!market) throw invalid('environment', `must be one of ${Object.keys(MOMO_MARKETS).join(', ')}`);
  const baseUrl = input.baseUrl ? parseHttpBaseUrl(input.baseUrl, 'base_url') : defaultBaseUrl(input.environment);
  const currency = parseCurrency(input.currency ?? market.currency);
  if (input.environment === 'sandbox' && currency !== 'EUR') throw invalid('currency', 'MTN’s sandbox takes EUR only');
  const ussdPrefix = input.ussdPrefix ?? market.ussdPrefix;
  if (!ussdPrefix) throw invalid('ussd_prefix', `give the MoMoPay USSD prefix for ${input.environment}, like *165*3`);
  momoUssdString(ussdPrefix, '1');
  if (input.payeeMsisdn !== undefined && !/^\d{8,15}$/.test(input.payeeMsisdn)) throw invalid('payee_msisdn', 'must be 8 to 15 digits, country code first');
  let apiUser = input.apiUser;
  let apiKey = input.apiKey;
  if (!apiUser || !apiKey) {
    if (input.environment !== 'sandbox') throw invalid(apiUser ? 'api_key' : 'api_user', 'is required outside the sandbox');
    ({ apiUser, apiKey } = await provisionSandboxUser(baseUrl, input.subscriptionKey, new URL(publicUrl).hostname));
  }
  // A token proves the key, user and API key belong together before anything depends on them.
  try {
    await new MomoClient({ baseUrl, subscriptionKey: input.subscriptionKey, apiUser, apiKey, targetEnvironment: input.environment }, ctx.clock).token();
  } catch (error) {
    throw new AppError('validation_failed', `MTN MoMo refused these credentials: ${error instanceof Error ? error.message : String(error)}`, { field: 'subscription_key' });
  }
  const now = ctx.clock.now().toISOString();
  const existing = await ctx.store.db.selectFrom('momo_settings').select('created_at').where('business_id', '=', businessId).executeTakeFirst();
  const row: MomoSettingsTable = {
    business_id: businessId, subscription_key_sealed: seal(keys, input.subscriptionKey), api_user: apiUser, api_key_sealed: seal(keys, apiKey),
    target_environment: input.environment, base_url: baseUrl, currency, ussd_prefix: ussdPrefix, payee_msisdn: input.payeeMsisdn ?? null,
    enabled: input.enabled === false ? 0 : 1, created_at: existing?.created_at ?? now, updated_at: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    if (existing) await trx.updateTable('momo_settings').set(row).where('business_id', '=', businessId).execute();
    else await trx.insertInto('momo_settings').values(row).execute();
    await recordAudit(trx, ctx, { businessId, action: 'momo.settings_saved', entityType: 'momo_settings', entityId: businessId, data: { environment: input.environment, api_user: apiUser, provisioned: !input.apiUser } });
  });
  clients.forget(businessId);
  return publicMomoSettings(row);
}

/** What the API shows: everything but the secrets. */
export function publicMomoSettings(row: MomoSettingsTable) {
  return { environment: row.target_environment, base_url: row.base_url, api_user: row.api_user, currency: row.currency, ussd_prefix: row.ussd_prefix,
    payee_msisdn: row.payee_msisdn, enabled: row.enabled === 1, updated_at: row.updated_at };
}

export async function momoSettingsOf(q: Q, businessId: string): Promise<MomoSettingsTable> {
  const row = await q.selectFrom('momo_settings').selectAll().where('business_id', '=', businessId).executeTakeFirst();
  if (!row) throw notFound('MTN MoMo settings (PUT /api/admin/rails/momo first)');
  return row;
}

/** The settings when MoMo is on for this business (and, given a currency, settles in it). */
export async function momoOffered(q: Q, businessId: string, currency?: string): Promise<MomoSettingsTable | undefined> {
  const row = await q.selectFrom('momo_settings').selectAll().where('business_id', '=', businessId).where('enabled', '=', 1).executeTakeFirst();
  return row && (currency === undefined || row.currency === currency) ? row : undefined;
}

const clients = perBusinessCache<MomoClient>();

export function momoClientOf(keys: KeyRing, clock: Clock, settings: MomoSettingsTable): MomoClient {
  return clients(settings.business_id, settings.updated_at, () => new MomoClient({ baseUrl: settings.base_url, subscriptionKey: open(keys, settings.subscription_key_sealed),
    apiUser: settings.api_user, apiKey: open(keys, settings.api_key_sealed), targetEnvironment: settings.target_environment }, clock));
}
