/**
 * A provider's word that a payment succeeded is credited only if it is the payment we asked for:
 * our reference, our currency, and exactly our amount (parsed exactly, never rounded). Anything
 * else is held for a person: a wrong credit is worse than a late one.
 */
import { parseMajor, type Currency } from '../money.js';

export function mismatchOf(asked: { reference: string; currency: Currency; amountMinor: number }, reported: { reference: string; currency: string; amountText: string }): string | null {
  if (reported.reference !== asked.reference) return `reference ${reported.reference || '(none)'} is not ${asked.reference}`;
  if (reported.currency.toUpperCase() !== asked.currency) return `currency ${reported.currency} is not ${asked.currency}`;
  let paid: number;
  try { paid = parseMajor(reported.amountText, asked.currency, { field: 'amount' }); } catch { return `amount ${reported.amountText} is not readable`; }
  return paid === asked.amountMinor ? null : `amount ${reported.amountText} is not what was asked`;
}
