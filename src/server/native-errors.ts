/**
 * The native API's error body: {"error": "<message>", "code": "<stable code>", "field"?: "..."}.
 * Seed 002 normalises every failure to {"error": ...}; the code and field are additions a client
 * may ignore. Unknown errors are logged in full and answered with a generic 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.js';
import { describeValidation } from './validation-errors.js';

export interface NativeErrorBody {
  error: string;
  code: string;
  field?: string;
}

export function toNativeError(error: unknown): { status: number; body: NativeErrorBody } {
  if (error instanceof AppError) {
    return { status: error.status, body: { error: error.message, code: error.code, ...(error.field ? { field: error.field } : {}) } };
  }
  const fe = error as FastifyError;
  if (fe.validation) {
    const { field, message } = describeValidation(fe.validation, fe.validationContext ?? 'body');
    return { status: 400, body: { error: `${field}: ${message}`, code: 'validation_failed', field } };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fe.statusCode === 400 && fe instanceof SyntaxError)) {
    return { status: 400, body: { error: 'request body is not valid JSON', code: 'validation_failed' } };
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: { error: 'request body is too large', code: 'validation_failed' } };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { status: 415, body: { error: 'unsupported content type; send application/json', code: 'validation_failed' } };
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { status: 400, body: { error: 'request body is empty', code: 'validation_failed' } };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { error: fe.message, code: 'validation_failed' } };
  }
  return { status: 500, body: { error: 'internal error', code: 'internal' } };
}

export function nativeErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toNativeError(error);
  if (status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: body.code, field: body.field }, body.error);
  return reply.status(status).send(body);
}
