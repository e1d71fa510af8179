/** Email addresses: a pragmatic check at the point of entry (one @, a dotted domain, sane lengths). */
import { invalid } from './errors.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

export function parseEmail(input: unknown, field = 'email'): string {
  if (typeof input !== 'string' || !EMAIL.test(input.trim())) throw invalid(field, 'must be an email address');
  return input.trim();
}
