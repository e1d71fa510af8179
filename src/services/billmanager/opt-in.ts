/**
 * Opt-in of a shortcode to Bill Manager. The shortcode must already belong to the app's business
 * (`billmanager business create --shortcode`): one consumer key may hold several shortcodes, but
 * never another business's. Opting in again updates the details and keeps the app_key.
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { newWebhookSecret } from '../../notify/webhook/signature.js';
import { seal, type KeyRing } from '../../security/secret-box.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';

export interface OptInDetails {
  shortcode: string;
  email: string;
  officialContact: string;
  sendReminders: boolean;
  logoJpeg: Buffer | null | undefined;
  callbackUrl: string;
}

export async function assertOwnsShortcode(q: Q, businessId: string, shortcode: string): Promise<void> {
  const row = await q.selectFrom('shortcodes').select('business_id').where('shortcode', '=', shortcode).executeTakeFirst();
  if (!row || row.business_id !== businessId) {
    throw new AppError('forbidden', `shortcode ${shortcode} does not belong to this consumer key`, { field: 'shortcode' });
  }
}

function newAppKey(now: Date): string {
  return `AG_${now.toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(10).toString('hex').toUpperCase()}`;
}

export async function optIn(ctx: Ctx, keys: KeyRing, businessId: string, details: OptInDetails): Promise<string> {
  await assertOwnsShortcode(ctx.store.db, businessId, details.shortcode);
  const now = ctx.clock.now();
  return ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('billmanager_optins').select(['id', 'app_key']).where('shortcode', '=', details.shortcode).executeTakeFirst();
    const values = {
      email: details.email, official_contact: details.officialContact, send_reminders: details.sendReminders ? 1 : 0,
      callback_url: details.callbackUrl, updated_at: now.toISOString(),
      ...(details.logoJpeg !== undefined ? { logo_jpeg_base64: details.logoJpeg ? details.logoJpeg.toString('base64') : null } : {}),
    };
    if (existing) {
      await trx.updateTable('billmanager_optins').set(values).where('id', '=', existing.id).execute();
      await recordAudit(trx, ctx, { businessId, action: 'billmanager.opt_in_updated', entityType: 'shortcode', entityId: details.shortcode, data: { callback_url: details.callbackUrl, send_reminders: details.sendReminders } });
      return existing.app_key;
    }
    const appKey = newAppKey(now);
    await trx.insertInto('billmanager_optins').values({
      id: newId('bmo'), business_id: businessId, shortcode: details.shortcode, app_key: appKey, logo_jpeg_base64: details.logoJpeg ? details.logoJpeg.toString('base64') : null,
      webhook_secret: seal(keys, newWebhookSecret()), created_at: now.toISOString(), ...values,
    }).execute();
    await recordAudit(trx, ctx, { businessId, action: 'billmanager.opted_in', entityType: 'shortcode', entityId: details.shortcode, data: { callback_url: details.callbackUrl, send_reminders: details.sendReminders } });
    return appKey;
  });
}

export async function updateOptIn(ctx: Ctx, keys: KeyRing, businessId: string, details: OptInDetails): Promise<void> {
  await assertOwnsShortcode(ctx.store.db, businessId, details.shortcode);
  const existing = await ctx.store.db.selectFrom('billmanager_optins').select('id').where('shortcode', '=', details.shortcode).executeTakeFirst();
  if (!existing) throw new AppError('invalid_state', `shortcode ${details.shortcode} has not opted in to Bill Manager`, { field: 'shortcode' });
  await optIn(ctx, keys, businessId, details);
}

/** The opted-in shortcodes of a business; a Bill Manager call works only on one of these. */
export async function optInsOf(q: Q, businessId: string) {
  return q.selectFrom('billmanager_optins').selectAll().where('business_id', '=', businessId).orderBy('created_at').execute();
}
