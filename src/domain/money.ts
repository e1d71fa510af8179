/**
 * Money: an integer count of minor units plus an ISO 4217 currency. All parsing, formatting and
 * arithmetic on money lives here. No floats: decimal strings are parsed digit by digit, and the one
 * rounding rule (half away from zero) is applied once, in `applyRateBps`.
 */
import { assert, invalid } from './errors.js';

/** Minor-unit exponent per supported currency (ISO 4217). UGX, RWF and the CFA francs have none. */
export const CURRENCY_EXPONENT = {
  KES: 2, NGN: 2, UGX: 0, TZS: 2, RWF: 0, GHS: 2, ZMW: 2, USD: 2, EUR: 2, GBP: 2,
  XAF: 0, XOF: 0, ZAR: 2, ETB: 2, MWK: 2, BIF: 0, CDF: 2, SSP: 2, GNF: 0, LRD: 2, SZL: 2,
} as const;

export type Currency = keyof typeof CURRENCY_EXPONENT;
export const CURRENCIES = Object.keys(CURRENCY_EXPONENT) as Currency[];
export const DEFAULT_CURRENCY: Currency = 'KES';

export interface Money {
  readonly amountMinor: number;
  readonly currency: Currency;
}

/** The largest amount we accept anywhere: 10^13 minor units keeps every sum a safe integer. */
export const AMOUNT_MINOR_MAX = 10_000_000_000_000;

export function isCurrency(code: unknown): code is Currency {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENT, code);
}

export function parseCurrency(code: unknown, field = 'currency'): Currency {
  if (typeof code !== 'string') throw invalid(field, 'must be an ISO 4217 currency code');
  const upper = code.trim().toUpperCase();
  if (!isCurrency(upper)) throw invalid(field, `unsupported currency "${code}" (supported: ${CURRENCIES.join(', ')})`);
  return upper;
}

export function exponentOf(currency: Currency): number {
  return CURRENCY_EXPONENT[currency];
}

export function assertMinor(amountMinor: number, what = 'amount'): void {
  assert(Number.isSafeInteger(amountMinor), `${what} must be a safe integer of minor units, got ${amountMinor}`);
}

export interface ParseOptions {
  field?: string;
  /** Accept "1,200.00" with correctly grouped thousands separators. Daraja's face forbids commas. */
  allowGrouping?: boolean;
  allowNegative?: boolean;
  allowZero?: boolean;
}

const PLAIN = /^(-)?(\d+)(?:\.(\d+))?$/;
const GROUPED = /^(-)?(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

/**
 * Parses a major-unit decimal ("800", "800.5", "1,200.00", or a JSON number) into minor units,
 * exactly. More decimals than the currency has are rejected rather than rounded: a payer's amount
 * is never silently changed.
 */
export function parseMajor(input: unknown, currency: Currency, opts: ParseOptions = {}): number {
  const field = opts.field ?? 'amount';
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalid(field, 'must be a finite number');
    text = String(input);
    if (/e/i.test(text)) throw invalid(field, 'is out of range');
  } else if (typeof input === 'string') {
    text = input.trim();
  } else {
    throw invalid(field, 'must be a decimal amount such as "800" or "800.50"');
  }
  const match = PLAIN.exec(text) ?? (opts.allowGrouping !== false ? GROUPED.exec(text) : null);
  if (!match) {
    const hint = text.includes(',') && opts.allowGrouping === false ? ' (no commas or other separators)' : '';
    throw invalid(field, `"${text}" is not a decimal amount${hint}`);
  }
  const [, sign, intPartRaw, fracPart = ''] = match;
  const exponent = exponentOf(currency);
  if (fracPart.length > exponent) {
    throw invalid(field, exponent === 0
      ? `${currency} has no minor unit; "${text}" must be a whole number`
      : `${currency} allows at most ${exponent} decimal places; got "${text}"`);
  }
  const digits = intPartRaw!.replace(/,/g, '') + fracPart.padEnd(exponent, '0');
  const magnitude = BigInt(digits);
  if (magnitude > BigInt(AMOUNT_MINOR_MAX)) throw invalid(field, 'is too large');
  const amountMinor = Number(magnitude) * (sign ? -1 : 1);
  if (amountMinor < 0 && !opts.allowNegative) throw invalid(field, 'must not be negative');
  if (amountMinor === 0 && opts.allowZero === false) throw invalid(field, 'must be greater than zero');
  return amountMinor === 0 ? 0 : amountMinor;
}

/** Parses a minor-unit integer given on the wire (JSON number or digit string). */
export function parseMinor(input: unknown, opts: { field?: string; allowNegative?: boolean; allowZero?: boolean } = {}): number {
  const field = opts.field ?? 'amount_minor';
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (!/^-?\d+$/.test(text)) throw invalid(field, 'must be a whole number of minor units');
  const value = Number(text);
  if (!Number.isSafeInteger(value) || Math.abs(value) > AMOUNT_MINOR_MAX) throw invalid(field, 'is out of range');
  if (value < 0 && !opts.allowNegative) throw invalid(field, 'must not be negative');
  if (value === 0 && opts.allowZero === false) throw invalid(field, 'must be greater than zero');
  return value === 0 ? 0 : value;
}

/** "1200.50" for KES 120050; "5000" for UGX 5000. Plain digits, no grouping: for wire formats. */
export function formatMajor(amountMinor: number, currency: Currency): string {
  assertMinor(amountMinor);
  const exponent = exponentOf(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const frac = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${frac}`;
}

/** "KES 1,200.50" — for people: SMS, PDFs, pages. */
export function formatMoney(amountMinor: number, currency: Currency): string {
  const plain = formatMajor(amountMinor, currency);
  const negative = plain.startsWith('-');
  const [whole, frac] = (negative ? plain.slice(1) : plain).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${currency} ${negative ? '-' : ''}${grouped}${frac === undefined ? '' : `.${frac}`}`;
}

/** Whole major units rounded up (for rails such as STK push that take whole shillings only). */
export function wholeMajorUnits(amountMinor: number, currency: Currency): number {
  assertMinor(amountMinor);
  const factor = 10 ** exponentOf(currency);
  return Math.ceil(amountMinor / factor);
}

/**
 * Rates are basis points (16% = 1600, 7.5% = 750). Parsing a percentage string is exact.
 */
export function parseRateBps(input: unknown, field = 'rate'): number {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) throw invalid(field, 'must be a percentage such as 16 or 7.5 (at most 2 decimals)');
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bps > 10_000) throw invalid(field, 'must be between 0 and 100');
  return bps;
}

export function formatRateBps(bps: number): string {
  const whole = Math.trunc(bps / 100);
  const frac = bps % 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/**
 * amount × rate, rounded once, half away from zero, in integer arithmetic. This is the platform's
 * single rounding rule (tax per line, withholding per payment).
 */
export function applyRateBps(amountMinor: number, rateBps: number): number {
  assertMinor(amountMinor);
  assert(Number.isInteger(rateBps) && rateBps >= 0, 'rate must be non-negative basis points');
  const product = BigInt(Math.abs(amountMinor)) * BigInt(rateBps);
  const quotient = product / 10_000n;
  const remainder = product % 10_000n;
  const rounded = remainder * 2n >= 10_000n ? quotient + 1n : quotient;
  const magnitude = Number(rounded);
  return amountMinor < 0 ? -magnitude : magnitude;
}

/** Sum of minor-unit integers with a safety check on every step. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) {
    assertMinor(value);
    total += value;
    assertMinor(total, 'sum');
  }
  return total;
}
