/**
 * A business's M-PESA (Daraja) settings. Consumer secret and passkey are sealed at rest and never
 * read back through the API. One Daraja client per business is kept, so its OAuth token is shared
 * by every request until the settings change.
 */
import type { Clock } from '../../domain/clock.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { parseHttpBaseUrl } from '../../domain/urls.js';
import { DarajaClient, DARAJA_HOSTS } from '../../rails/mpesa/daraja-client.js';
import { open, seal, type KeyRing } from '../../security/secret-box.js';
import type { MpesaSettingsTable } from '../../storage/schema-mpesa.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { perBusinessCache } from '../settings-cache.js';
import type { Q } from '../tx.js';

export interface MpesaSettingsInput {
  shortcode: string;
  shortcodeType: 'paybill' | 'till';
  consumerKey: string;
  consumerSecret?: string;
  passkey?: string;
  /** sandbox, production, or a base URL (a simulator, a proxy). */
  environment: string;
  responseType?: 'Completed' | 'Cancelled';
  rejectUnknownAccounts?: boolean;
  allowPrepayment?: boolean;
  allowedIps?: string[];
}

export function baseUrlOf(environment: string): string {
  if (environment === 'sandbox' || environment === 'production') return DARAJA_HOSTS[environment];
  return parseHttpBaseUrl(environment, 'environment', 'must be sandbox, production or a base URL');
}

export async function putMpesaSettings(ctx: Ctx, keys: KeyRing, businessId: string, input: MpesaSettingsInput): Promise<void> {
  if (!/^\d{5,7}$/.test(input.shortcode)) throw invalid('shortcode', 'must be a 5 to 7 digit shortcode');
  const baseUrl = baseUrlOf(input.environment);
  const owner = await ctx.store.db.selectFrom('shortcodes').select('business_id').where('shortcode', '=', input.shortcode).executeTakeFirst();
  if (owner && owner.business_id !== businessId) throw new AppError('forbidden', `shortcode ${input.shortcode} belongs to another business`, { field: 'shortcode' });
  const existing = await ctx.store.db.selectFrom('mpesa_settings').selectAll().where('business_id', '=', businessId).executeTakeFirst();
  if (!existing && !input.consumerSecret) throw invalid('consumer_secret', 'is required');
  const now = ctx.clock.now().toISOString();
  const row: MpesaSettingsTable = {
    business_id: businessId, shortcode: input.shortcode, shortcode_type: input.shortcodeType, consumer_key: input.consumerKey,
    consumer_secret_sealed: input.consumerSecret ? seal(keys, input.consumerSecret) : existing!.consumer_secret_sealed,
    passkey_sealed: input.passkey ? seal(keys, input.passkey) : existing?.passkey_sealed ?? null,
    environment: input.environment, base_url: baseUrl, response_type: input.responseType ?? 'Completed',
    reject_unknown_accounts: input.rejectUnknownAccounts ? 1 : 0, allow_prepayment: input.allowPrepayment ? 1 : 0,
    allowed_ips_json: JSON.stringify(input.allowedIps ?? []), callback_secret_hash: existing?.callback_secret_hash ?? null,
    created_at: existing?.created_at ?? now, updated_at: now,
  };
  await ctx.store.db.transaction().execute(async (trx) => {
    if (existing) await trx.updateTable('mpesa_settings').set(row).where('business_id', '=', businessId).execute();
    else await trx.insertInto('mpesa_settings').values(row).execute();
    if (!owner) await trx.insertInto('shortcodes').values({ id: `sc_${businessId}_${input.shortcode}`, business_id: businessId, shortcode: input.shortcode, kind: input.shortcodeType, created_at: now }).execute();
    await recordAudit(trx, ctx, { businessId, action: 'mpesa.settings_saved', entityType: 'mpesa_settings', entityId: businessId, data: { shortcode: input.shortcode, environment: input.environment } });
  });
  clients.forget(businessId);
}

export async function mpesaSettingsOf(q: Q, businessId: string): Promise<MpesaSettingsTable> {
  const row = await q.selectFrom('mpesa_settings').selectAll().where('business_id', '=', businessId).executeTakeFirst();
  if (!row) throw notFound('M-PESA settings (PUT /api/admin/rails/mpesa first)');
  return row;
}

/** What the API shows: everything but the secrets. */
export function publicSettings(row: MpesaSettingsTable) {
  return {
    shortcode: row.shortcode, shortcode_type: row.shortcode_type, consumer_key: row.consumer_key, environment: row.environment,
    response_type: row.response_type, reject_unknown_accounts: row.reject_unknown_accounts === 1, allow_prepayment: row.allow_prepayment === 1,
    allowed_ips: JSON.parse(row.allowed_ips_json) as string[], has_passkey: row.passkey_sealed !== null, urls_registered: row.callback_secret_hash !== null,
    updated_at: row.updated_at,
  };
}

const clients = perBusinessCache<DarajaClient>();

export async function darajaClientFor(q: Q, keys: KeyRing, clock: Clock, businessId: string): Promise<{ client: DarajaClient; settings: MpesaSettingsTable }> {
  const settings = await mpesaSettingsOf(q, businessId);
  const client = clients(businessId, settings.updated_at, () => new DarajaClient({
    baseUrl: settings.base_url, consumerKey: settings.consumer_key, consumerSecret: open(keys, settings.consumer_secret_sealed),
    shortcode: settings.shortcode, shortcodeType: settings.shortcode_type as 'paybill' | 'till',
    passkey: settings.passkey_sealed ? open(keys, settings.passkey_sealed) : undefined,
  }, clock));
  return { client, settings };
}
