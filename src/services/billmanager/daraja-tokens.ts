/**
 * OAuth for the Bill Manager face, as Daraja does it: consumer key and secret (HTTP Basic) buy a
 * bearer token valid for an hour. Tokens are random and stored hashed; issuing one is a single
 * insert, cheap enough for clients that fetch a new token before every call.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../../domain/ids.js';
import { findAppByCredentials } from '../auth/apps.js';
import { hashSecret } from '../auth/api-tokens.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';

export const DARAJA_TOKEN_TTL_S = 3599;

export interface DarajaPrincipal {
  businessId: string;
  appId: string;
}

export async function issueDarajaToken(ctx: Ctx, consumerKey: string, consumerSecret: string): Promise<{ accessToken: string; expiresInS: number } | null> {
  const app = await findAppByCredentials(ctx.store.db, consumerKey, consumerSecret);
  if (!app) return null;
  // Daraja's tokens are 28 alphanumerics; some clients store them in fixed-size columns.
  const accessToken = randomBytes(21).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
  const now = ctx.clock.now();
  await ctx.store.db.insertInto('daraja_tokens').values({
    id: newId('dtk'), business_id: app.businessId, app_id: app.id, token_hash: hashSecret(accessToken),
    expires_at: new Date(now.getTime() + DARAJA_TOKEN_TTL_S * 1000).toISOString(), created_at: now.toISOString(),
  }).execute();
  return { accessToken, expiresInS: DARAJA_TOKEN_TTL_S };
}

export async function authenticateDarajaToken(q: Q, token: string, now: Date): Promise<DarajaPrincipal | null> {
  const row = await q.selectFrom('daraja_tokens').innerJoin('apps', 'apps.id', 'daraja_tokens.app_id')
    .select(['daraja_tokens.business_id', 'daraja_tokens.app_id', 'daraja_tokens.expires_at', 'apps.revoked_at'])
    .where('daraja_tokens.token_hash', '=', hashSecret(token)).executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= now.toISOString()) return null;
  return { businessId: row.business_id, appId: row.app_id };
}
