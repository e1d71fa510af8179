/**
 * Idempotency-Key on native writes, stored as data: the key, a hash of the request, and the answer.
 * A retry with the same key and body gets the first answer again; the same key with another body
 * is an error, never a second write. The key is claimed before the work runs, so two concurrent
 * retries cannot both write.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { isUniqueViolation } from '../../services/tx.js';
import { toNativeError } from '../../server/native-errors.js';

const KEY_MAX = 255;
const PENDING = 0;

/** `redact` shapes what is stored for replays: a secret shown once (a verification code) is never kept. */
export async function idempotent(request: FastifyRequest, reply: FastifyReply, businessId: string, work: () => Promise<{ status: number; body: unknown }>, redact: (body: unknown) => unknown = (b) => b): Promise<FastifyReply> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) {
    const { status, body } = await work();
    return reply.status(status).send(body);
  }
  const key = String(header);
  if (!key || key.length > KEY_MAX) throw new AppError('validation_failed', `Idempotency-Key must be 1 to ${KEY_MAX} characters`, { field: 'Idempotency-Key' });
  const db = request.server.services.store.db;
  const scope = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const requestHash = createHash('sha256').update(JSON.stringify({ url: request.url, body: request.body ?? null })).digest('hex');
  const id = newId('idem');
  try {
    await db.insertInto('idempotency_keys').values({
      id, business_id: businessId, scope, key, request_hash: requestHash, status_code: PENDING, response_json: 'null',
      created_at: request.server.services.clock.now().toISOString(),
    }).execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const prior = await db.selectFrom('idempotency_keys').selectAll()
      .where('business_id', '=', businessId).where('scope', '=', scope).where('key', '=', key).executeTakeFirstOrThrow();
    if (prior.request_hash !== requestHash) throw new AppError('idempotency_mismatch', 'this Idempotency-Key was used with a different request');
    if (prior.status_code === PENDING) throw new AppError('conflict', 'a request with this Idempotency-Key is still being processed');
    return reply.status(prior.status_code).header('idempotent-replayed', 'true').send(JSON.parse(prior.response_json));
  }
  let outcome: { status: number; body: unknown };
  try {
    outcome = await work();
  } catch (error) {
    const mapped = toNativeError(error);
    if (mapped.status >= 500) {
      // A failure that a retry could fix releases the key.
      await db.deleteFrom('idempotency_keys').where('id', '=', id).execute();
      throw error;
    }
    outcome = { status: mapped.status, body: mapped.body };
  }
  await db.updateTable('idempotency_keys').set({ status_code: outcome.status, response_json: JSON.stringify(redact(outcome.body)) }).where('id', '=', id).execute();
  return reply.status(outcome.status).send(outcome.body);
}
