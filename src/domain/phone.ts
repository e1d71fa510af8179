/**
 * Phone numbers to E.164 for the markets we serve: 0712…, 712…, 254712…, +254 712 … all become
 * +254712…. A national form is read in the business's country. Invalid numbers are refused when the
 * invoice is created, not when the SMS fails days later.
 */
import { invalid } from './errors.js';

/** Calling code and national subscriber-number length (digits after the trunk 0). */
export const PHONE_PLANS: Record<string, { code: string; length: number }> = {
  KE: { code: '254', length: 9 }, UG: { code: '256', length: 9 }, TZ: { code: '255', length: 9 }, RW: { code: '250', length: 9 },
  NG: { code: '234', length: 10 }, GH: { code: '233', length: 9 }, ZM: { code: '260', length: 9 }, CM: { code: '237', length: 9 },
  CI: { code: '225', length: 10 }, BJ: { code: '229', length: 10 }, MW: { code: '265', length: 9 }, ET: { code: '251', length: 9 },
};

export function normalisePhone(input: unknown, country: string, field = 'phone'): string {
  if (typeof input !== 'string' && typeof input !== 'number') throw invalid(field, 'must be a phone number');
  const text = String(input).replace(/[\s().-]/g, '');
  const plan = PHONE_PLANS[country.toUpperCase()];
  if (!plan) throw invalid(field, `phone numbers of ${country} are not supported`);
  if (text.startsWith('+') || text.startsWith('00')) {
    const digits = text.replace(/^(\+|00)/, '');
    const match = Object.values(PHONE_PLANS).find((p) => digits.startsWith(p.code) && digits.length === p.code.length + p.length);
    if (!match || !/^\d+$/.test(digits)) throw invalid(field, `"${input}" is not a valid international number`);
    return `+${digits}`;
  }
  if (!/^\d+$/.test(text)) throw invalid(field, `"${input}" is not a phone number`);
  if (text.startsWith(plan.code) && text.length === plan.code.length + plan.length) return `+${text}`;
  if (text.startsWith('0') && text.length === plan.length + 1) return `+${plan.code}${text.slice(1)}`;
  if (text.length === plan.length && !text.startsWith('0')) return `+${plan.code}${text}`;
  throw invalid(field, `"${input}" is not a valid ${country} phone number`);
}
