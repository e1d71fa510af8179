/**
 * Registers our C2B validation and confirmation URLs with Daraja. Each registration mints a new
 * unguessable path secret (Daraja does not sign its calls); only its hash is stored, and only once
 * Daraja accepted the URLs. The path words stay neutral: Daraja refuses URLs naming "mpesa".
 */
import { createHash, randomBytes } from 'node:crypto';
import type { KeyRing } from '../../security/secret-box.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { darajaClientFor } from './mpesa-settings.js';

export const hashPathSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function c2bUrls(publicUrl: string, secret: string) {
  return { validationUrl: `${publicUrl}/api/callbacks/c2b/${secret}/validate`, confirmationUrl: `${publicUrl}/api/callbacks/c2b/${secret}/confirm` };
}

export async function registerC2bUrls(ctx: Ctx, keys: KeyRing, businessId: string, publicUrl: string, version: 'v1' | 'v2' = 'v2') {
  const { client, settings } = await darajaClientFor(ctx.store.db, keys, ctx.clock, businessId);
  const secret = randomBytes(24).toString('base64url');
  const urls = c2bUrls(publicUrl, secret);
  await client.registerUrls({ ...urls, responseType: settings.response_type as 'Completed' | 'Cancelled', version });
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.updateTable('mpesa_settings').set({ callback_secret_hash: hashPathSecret(secret) }).where('business_id', '=', businessId).execute();
    await recordAudit(trx, ctx, { businessId, action: 'mpesa.urls_registered', entityType: 'mpesa_settings', entityId: businessId, data: { shortcode: settings.shortcode } });
  });
  return { ...urls, shortcode: settings.shortcode, responseType: settings.response_type };
}
