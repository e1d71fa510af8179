/** Daraja's bodies (see specs/daraja.md) and strict parsers for what Daraja sends us. */
import { zonedTimeToUtc } from '../../domain/clock.js';
import { invalid } from '../../domain/errors.js';
import { parseMajor } from '../../domain/money.js';

export interface DarajaErrorBody { requestId?: string; errorCode?: string; errorMessage?: string }
export interface TokenReply { access_token: string; expires_in: string | number }

export interface C2BCallback {
  TransactionType: string;
  TransID: string;
  TransTime: string;
  TransAmount: string;
  BusinessShortCode: string;
  BillRefNumber: string;
  InvoiceNumber?: string;
  OrgAccountBalance?: string;
  ThirdPartyTransID?: string;
  MSISDN: string;
  FirstName?: string;
  MiddleName?: string;
  LastName?: string;
}

export interface ParsedC2B {
  transId: string;
  amountMinor: number;
  shortcode: string;
  billRef: string;
  msisdn: string;
  payerName: string;
  transactedAt: Date;
  raw: C2BCallback;
}

const str = (body: Record<string, unknown>, field: string, required = true): string => {
  const value = body[field];
  if (value === undefined || value === null || value === '') {
    if (required) throw invalid(field, 'is required');
    return '';
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw invalid(field, 'must be a string');
  return String(value).trim();
};

/** TransTime is Nairobi wall-clock time, YYYYMMDDHHmmss. */
export function parseDarajaTime(text: string, field = 'TransTime'): Date {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) throw invalid(field, `"${text}" is not YYYYMMDDHHmmss`);
  const instant = zonedTimeToUtc(`${m[1]}-${m[2]}-${m[3]}`, `${m[4]}:${m[5]}:${m[6]}`, 'Africa/Nairobi');
  if (Number.isNaN(instant.getTime())) throw invalid(field, `"${text}" is not a time`);
  return instant;
}

export function parseC2B(body: unknown): ParsedC2B {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  const transId = str(b, 'TransID');
  if (!/^[A-Z0-9]{6,20}$/i.test(transId)) throw invalid('TransID', 'is not an M-PESA transaction id');
  const shortcode = str(b, 'BusinessShortCode');
  if (!/^\d{5,7}$/.test(shortcode)) throw invalid('BusinessShortCode', 'is not a shortcode');
  // Daraja sends "10.00"; no grouping commas on this wire.
  const amountMinor = parseMajor(str(b, 'TransAmount'), 'KES', { field: 'TransAmount', allowGrouping: false, allowZero: false });
  const names = ['FirstName', 'MiddleName', 'LastName'].map((f) => str(b, f, false)).filter(Boolean);
  return {
    transId: transId.toUpperCase(), amountMinor, shortcode, billRef: str(b, 'BillRefNumber', false), msisdn: str(b, 'MSISDN', false),
    payerName: names.join(' '), transactedAt: parseDarajaTime(str(b, 'TransTime')), raw: b as unknown as C2BCallback,
  };
}

export interface StkCallbackBody {
  Body: { stkCallback: { MerchantRequestID: string; CheckoutRequestID: string; ResultCode: number | string; ResultDesc: string; CallbackMetadata?: { Item: Array<{ Name: string; Value?: string | number }> } } };
}

export interface ParsedStkCallback {
  checkoutRequestId: string;
  merchantRequestId: string;
  resultCode: number;
  resultDesc: string;
  receipt: string | null;
  amountMinor: number | null;
  phone: string | null;
}

export function parseStkCallback(body: unknown): ParsedStkCallback {
  const cb = (body as StkCallbackBody | undefined)?.Body?.stkCallback;
  if (!cb || typeof cb !== 'object') throw invalid('Body.stkCallback', 'is required');
  const checkoutRequestId = String(cb.CheckoutRequestID ?? '');
  if (!checkoutRequestId) throw invalid('CheckoutRequestID', 'is required');
  const resultCode = Number(cb.ResultCode);
  if (!Number.isInteger(resultCode)) throw invalid('ResultCode', 'must be a number');
  const items = new Map((cb.CallbackMetadata?.Item ?? []).map((i) => [i.Name, i.Value]));
  const amount = items.get('Amount');
  return {
    checkoutRequestId, merchantRequestId: String(cb.MerchantRequestID ?? ''), resultCode, resultDesc: String(cb.ResultDesc ?? ''),
    receipt: items.has('MpesaReceiptNumber') ? String(items.get('MpesaReceiptNumber')) : null,
    amountMinor: amount === undefined ? null : parseMajor(String(amount), 'KES', { field: 'Amount', allowGrouping: false }),
    phone: items.has('PhoneNumber') ? String(items.get('PhoneNumber')) : null,
  };
}

/** STK result codes worth naming to a payer. */
export const STK_RESULTS: Record<number, string> = {
  0: 'paid', 1: 'insufficient balance', 1032: 'cancelled by the customer', 1037: 'the phone could not be reached', 2001: 'wrong PIN',
};
