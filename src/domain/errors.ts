/**
 * One error type for the whole platform. The domain raises a stable snake_case code; each face
 * maps it to its own wire shape in one place (native: {"error": ...}, Daraja: {"errorCode": ...}).
 */
export type ErrorCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'over_allocation'
  | 'idempotency_mismatch'
  | 'rate_limited'
  | 'provider_error'
  | 'internal';

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  over_allocation: 409,
  idempotency_mismatch: 409,
  rate_limited: 429,
  provider_error: 502,
  internal: 500,
};

/** Whether retrying the same request could succeed. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'provider_error', 'internal']);

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { field?: string; details?: Record<string, unknown> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS_BY_CODE[code];
    this.field = opts.field;
    this.details = opts.details;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export const invalid = (field: string, message: string): AppError =>
  new AppError('validation_failed', `${field}: ${message}`, { field });

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);

export const invalidState = (message: string): AppError => new AppError('invalid_state', message);

/** Stops the process path on a broken invariant: a bug, never a user error. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}
