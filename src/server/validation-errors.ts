/** Turns Ajv's validation errors into one message that names the field, as `items[0].quantity`. */
import type { FastifySchemaValidationError } from 'fastify';

export function fieldOf(error: FastifySchemaValidationError): string {
  const path = (error.instancePath ?? '').split('/').filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
  const params = error.params as Record<string, unknown>;
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined;
  if (extra) return path ? `${path}.${extra}` : extra;
  return path;
}

export function describeValidation(errors: FastifySchemaValidationError[], context: string): { field: string; message: string } {
  const first = errors[0]!;
  const params = first.params as Record<string, unknown>;
  const field = fieldOf(first) || context;
  let message: string;
  if (params.missingProperty) message = 'is required';
  else if (params.additionalProperty) message = 'is not a known field';
  else message = first.message ?? 'is invalid';
  return { field, message };
}
