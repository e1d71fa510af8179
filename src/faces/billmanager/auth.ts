/** Daraja's bearer tokens on every Bill Manager call; missing, unknown or expired → 401 in Daraja's error shape. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateDarajaToken, type DarajaPrincipal } from '../../services/billmanager/daraja-tokens.js';
import { optInsOf } from '../../services/billmanager/opt-in.js';
import { BillManagerError, darajaError, fieldsOf } from './wire.js';

declare module 'fastify' {
  interface FastifyRequest {
    daraja?: DarajaPrincipal;
  }
}

export async function requireDarajaToken(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  const principal = match ? await authenticateDarajaToken(request.server.services.store.db, match[1]!, request.server.services.clock.now()) : null;
  if (!principal) {
    return reply.status(401).header('content-type', 'application/json; charset=utf-8').send(darajaError('404.001.03', 'Invalid Access Token', request.id));
  }
  request.daraja = principal;
  return undefined;
}

/**
 * Which opted-in shortcode a call acts on: the one named by the app_key header (some clients send
 * it), or by a shortcode field, or the business's only opted-in shortcode.
 */
export async function callerOptIn(request: FastifyRequest) {
  const businessId = request.daraja!.businessId;
  const optins = await optInsOf(request.server.services.store.db, businessId);
  const appKey = request.headers['app_key'] ?? request.headers['appkey'] ?? request.headers['app-key'];
  const shortcode = fieldsOf(request.body)('shortcode');
  if (typeof appKey === 'string' && appKey) {
    const found = optins.find((o) => o.app_key === appKey);
    if (!found) throw new BillManagerError(403, 'app_key does not belong to this consumer key', [{ field: 'app_key', message: 'unknown app_key' }]);
    return found;
  }
  if (shortcode !== undefined) {
    const found = optins.find((o) => o.shortcode === String(shortcode));
    if (!found) throw new BillManagerError(403, `shortcode ${String(shortcode)} is not opted in for this consumer key`, [{ field: 'shortcode', message: 'not opted in' }]);
    return found;
  }
  if (optins.length === 1) return optins[0]!;
  if (optins.length === 0) throw new BillManagerError(403, 'no shortcode of this consumer key has opted in to Bill Manager', [{ field: 'shortcode', message: 'opt in first' }]);
  throw new BillManagerError(400, 'this consumer key has several opted-in shortcodes: name one with the app_key header', [{ field: 'app_key', message: 'is required' }]);
}
