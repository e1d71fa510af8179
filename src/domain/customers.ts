/**
 * Account references are typed by hand on a phone ("a1 ", "A-1", "a1"): matching compares a key
 * that ignores case, spaces and punctuation, while the business's own spelling is kept for display.
 */
import { invalid } from './errors.js';

export const ACCOUNT_REF_MAX = 64;

export function accountRefKey(accountRef: string): string {
  return accountRef.normalize('NFKC').toUpperCase().replace(/[^0-9A-Z]/g, '');
}

export function parseAccountRef(input: unknown, field = 'account_reference'): string {
  if (typeof input !== 'string') throw invalid(field, 'must be a string');
  const text = input.trim();
  if (text.length === 0) throw invalid(field, 'must not be empty');
  if (text.length > ACCOUNT_REF_MAX) throw invalid(field, `must be at most ${ACCOUNT_REF_MAX} characters`);
  if (accountRefKey(text).length === 0) throw invalid(field, 'must contain a letter or digit');
  return text;
}
