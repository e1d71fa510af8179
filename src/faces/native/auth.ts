/**
 * Bearer-token auth for the native admin API. 401: no token, or one we don't know. 403: a known
 * token with the wrong role, or asking for another business. The platform operator's bootstrap
 * token (BILLMANAGER_ADMIN_TOKEN) acts for the business named in X-Business-Id.
 */
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { Ctx } from '../../services/context.js';
import { authenticateToken, type Principal, type Role } from '../../services/auth/api-tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    businessId?: string;
  }
}

function bearerOf(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  if (!match) throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer <token>)');
  return match[1]!;
}

/** Authenticates and scopes the request to one business; `roles` lists who may call the route. */
export function requireRole(...roles: Role[]): preHandlerHookHandler {
  return async function authorise(request) {
    const { store, config } = request.server.services;
    const principal = await authenticateToken(store.db, bearerOf(request), config.adminToken);
    if (!roles.includes(principal.role)) throw new AppError('forbidden', `this route needs the ${roles.join(' or ')} role`);
    let businessId = principal.businessId;
    if (businessId === null) {
      const asked = request.headers['x-business-id'];
      if (typeof asked !== 'string' || !asked) throw new AppError('validation_failed', 'the platform token must name a business in X-Business-Id', { field: 'X-Business-Id' });
      const exists = await store.db.selectFrom('businesses').select('id').where('id', '=', asked).executeTakeFirst();
      if (!exists) throw new AppError('not_found', 'business not found');
      businessId = asked;
    } else if (typeof request.headers['x-business-id'] === 'string' && request.headers['x-business-id'] !== businessId) {
      throw new AppError('forbidden', 'this token belongs to another business');
    }
    request.principal = principal;
    request.businessId = businessId;
  };
}

/** Only the platform operator (bootstrap token) may create businesses. */
export const requirePlatform: preHandlerHookHandler = async function platformOnly(request) {
  const { store, config } = request.server.services;
  const principal = await authenticateToken(store.db, bearerOf(request), config.adminToken);
  if (principal.businessId !== null) throw new AppError('forbidden', 'only the platform operator token may do this');
  request.principal = principal;
};

export function requestCtx(request: FastifyRequest): Ctx {
  const { store, clock } = request.server.services;
  return { store, clock, actor: { type: 'token', id: request.principal?.tokenId ?? 'anonymous', requestId: request.id } };
}

export function businessOf(request: FastifyRequest): string {
  if (!request.businessId) throw new AppError('unauthorized', 'not authenticated');
  return request.businessId;
}
