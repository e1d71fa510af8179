/**
 * Bearer tokens for the native API. Only a SHA-256 hash is stored: tokens are 32 random bytes, so
 * a slow hash buys nothing, and a database dump reveals no usable token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { newId, newSecret } from '../../domain/ids.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';

export const ROLES = ['admin', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  tokenId: string;
  /** null for the platform operator's bootstrap token, which may act for any business. */
  businessId: string | null;
  role: Role;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const ha = Buffer.from(hashSecret(a), 'hex');
  const hb = Buffer.from(hashSecret(b), 'hex');
  return timingSafeEqual(ha, hb);
}

export async function createApiToken(ctx: Ctx, input: { businessId: string; role: string; name?: string }): Promise<{ id: string; token: string; role: Role }> {
  if (!(ROLES as readonly string[]).includes(input.role)) throw invalid('role', `must be one of ${ROLES.join(', ')}`);
  const business = await ctx.store.db.selectFrom('businesses').select('id').where('id', '=', input.businessId).executeTakeFirst();
  if (!business) throw notFound('business');
  const token = `bm_${newSecret(32)}`;
  const id = newId('tok');
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values({
      id, business_id: input.businessId, role: input.role, name: (input.name ?? `${input.role} token`).slice(0, 100),
      token_hash: hashSecret(token), created_at: ctx.clock.now().toISOString(), revoked_at: null,
    }).execute();
    await recordAudit(trx, ctx, { businessId: input.businessId, action: 'token.created', entityType: 'api_token', entityId: id, data: { role: input.role } });
  });
  return { id, token, role: input.role as Role };
}

export async function authenticateToken(q: Q, token: string, bootstrapToken?: string): Promise<Principal> {
  if (bootstrapToken && token.length > 0 && sameSecret(token, bootstrapToken)) {
    return { tokenId: 'bootstrap', businessId: null, role: 'admin' };
  }
  const row = await q.selectFrom('api_tokens').select(['id', 'business_id', 'role', 'revoked_at'])
    .where('token_hash', '=', hashSecret(token)).executeTakeFirst();
  if (!row || row.revoked_at) throw new AppError('unauthorized', 'invalid or revoked token');
  return { tokenId: row.id, businessId: row.business_id, role: row.role as Role };
}

export async function revokeApiToken(ctx: Ctx, businessId: string, tokenId: string): Promise<void> {
  const result = await ctx.store.db.updateTable('api_tokens').set({ revoked_at: ctx.clock.now().toISOString() })
    .where('id', '=', tokenId).where('business_id', '=', businessId).where('revoked_at', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('token');
}
