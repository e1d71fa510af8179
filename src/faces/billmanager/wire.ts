/**
 * The Bill Manager wire: field names matched case-insensitively and ignoring underscores (clients
 * send callbackurl and callbackUrl, itemName and item_name), answers in the seed's shapes with
 * string codes, and errors as {Status_Message, resmsg, rescode, errors[]}.
 */
import type { FastifyReply } from 'fastify';
import { AppError } from '../../domain/errors.js';

export type Fields = (name: string) => unknown;

const keyOf = (name: string): string => name.toLowerCase().replace(/_/g, '');

export function fieldsOf(body: unknown): Fields {
  const map = new Map<string, unknown>();
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) map.set(keyOf(key), value);
  }
  return (name) => map.get(keyOf(name));
}

export interface FieldError {
  field: string;
  message: string;
  index?: number;
}

const RESMSG: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 422: 'Unprocessable Entity', 500: 'Internal Server Error' };

export function errorBody(status: number, message: string, errors: FieldError[] = []) {
  return { Status_Message: message, resmsg: RESMSG[status] ?? 'Error', rescode: String(status), errors };
}

export class BillManagerError extends Error {
  constructor(readonly status: number, message: string, readonly errors: FieldError[] = []) {
    super(message);
  }
}

export const badRequest = (errors: FieldError[]): BillManagerError =>
  new BillManagerError(400, errors.map((e) => `${e.index !== undefined ? `invoice ${e.index}: ` : ''}${e.field}: ${e.message}`).join('; '), errors);

export function sendOk(reply: FastifyReply, body: Record<string, unknown>): FastifyReply {
  return reply.status(200).header('content-type', 'application/json; charset=utf-8').send({ ...body, resmsg: 'Success', rescode: '200' });
}

/** Maps any error raised under this face to its body; never a 5xx for bad input. */
export function toBillManagerError(error: unknown): { status: number; body: ReturnType<typeof errorBody> } | null {
  if (error instanceof BillManagerError) return { status: error.status, body: errorBody(error.status, error.message, error.errors) };
  if (error instanceof AppError && error.status < 500) {
    const problems = (error as AppError & { problems?: Array<{ index: number; field: string; message: string }> }).problems;
    const errors = problems ?? (error.field ? [{ field: error.field, message: error.message }] : []);
    const status = error.code === 'idempotency_mismatch' ? 409 : error.status;
    return { status, body: errorBody(status, error.message, errors) };
  }
  return null;
}

export function darajaError(errorCode: string, errorMessage: string, requestId: string) {
  return { requestId, errorCode, errorMessage };
}
