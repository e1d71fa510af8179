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

/**
 * A phone number's match key: its last nine digits, the subscriber number in every East African
 * plan, so 0712345678, 254712345678 and +254 712 345 678 agree. Masked numbers (2547 ***** 149)
 * and hashes give no key: they never match anyone.
 */
export function phoneKey(phone: string | null | undefined): string | null {
  if (!phone) return null;
  if (/[*xX]/.test(phone)) return null;
  const digits = phone.replace(/[\s()+-]/g, '');
  if (!/^\d{9,15}$/.test(digits)) return null;
  return digits.slice(-9);
}

/** Edit distance, bounded: how far a typed reference is from a real one (for suspense suggestions). */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}
