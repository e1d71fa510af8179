/**
 * Daraja-style apps for the Bill Manager face: a consumer key (public, stored as is) and a consumer
 * secret (shown once, stored hashed), exchanged for bearer tokens at /oauth/v1/generate.
 */
import { randomBytes } from 'node:crypto';
import { notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';
import { hashSecret } from './api-tokens.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Daraja's keys are long alphanumeric strings; some clients reject other characters. */
function alphanumeric(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (const byte of bytes) {
    if (byte < 248) out += ALNUM[byte % 62];
    if (out.length === length) break;
  }
  return out.length === length ? out : alphanumeric(length);
}

export async function createApp(ctx: Ctx, input: { businessId: string; name?: string }): Promise<{ id: string; consumerKey: string; consumerSecret: string }> {
  const business = await ctx.store.db.selectFrom('businesses').select('id').where('id', '=', input.businessId).executeTakeFirst();
  if (!business) throw notFound('business');
  const consumerKey = alphanumeric(48);
  const consumerSecret = alphanumeric(64);
  const id = newId('app');
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('apps').values({
      id, business_id: input.businessId, name: (input.name ?? 'Bill Manager app').slice(0, 100), consumer_key: consumerKey,
      secret_hash: hashSecret(consumerSecret), created_at: ctx.clock.now().toISOString(), revoked_at: null,
    }).execute();
    await recordAudit(trx, ctx, { businessId: input.businessId, action: 'app.created', entityType: 'app', entityId: id, data: { consumer_key: consumerKey } });
  });
  return { id, consumerKey, consumerSecret };
}

export async function findAppByCredentials(q: Q, consumerKey: string, consumerSecret: string): Promise<{ id: string; businessId: string } | undefined> {
  const row = await q.selectFrom('apps').select(['id', 'business_id', 'secret_hash', 'revoked_at']).where('consumer_key', '=', consumerKey).executeTakeFirst();
  if (!row || row.revoked_at || row.secret_hash !== hashSecret(consumerSecret)) return undefined;
  return { id: row.id, businessId: row.business_id };
}
