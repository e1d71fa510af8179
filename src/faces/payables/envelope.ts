/** Seed 004's envelope: {"success": true, "data": …}; errors {"success": false, "error": {"code", "message", "field"}}. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import { formatMajor, parseCurrency } from '../../domain/money.js';
import { toNativeError } from '../../server/native-errors.js';

export const ok = (reply: FastifyReply, data: unknown, status = 200) => reply.status(status).send({ success: true, data });

export function payablesErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = toNativeError(error);
  if (status >= 500) request.log.error({ err: error }, 'payables request failed');
  return reply.status(status).send({ success: false, error: { code: body.code, message: body.error, ...(body.field ? { field: body.field } : {}) } });
}

/** Minor units under seed 004's names (…Kobo, whatever the currency) beside major units. */
export function money(prefix: string, minor: number, currency: string): Record<string, number> {
  return { [`${prefix}Kobo`]: minor, [prefix]: Number(formatMajor(minor, parseCurrency(currency))) };
}

export function assertOwnBusiness(asked: unknown, own: string): void {
  if (asked !== undefined && asked !== own) throw new AppError('forbidden', 'businessId is not this token’s business', { field: 'businessId' });
}
