/** The reconciliation acknowledgement body (seed 000's table), checked field by field. */
import { AppError } from '../../domain/errors.js';
import { parseDate } from '../../domain/clock.js';
import { parseMajor } from '../../domain/money.js';
import type { Acknowledgement } from '../../services/billmanager/acknowledge-payment.js';
import { badRequest, fieldsOf, type FieldError } from './wire.js';

export function parseAcknowledgement(body: unknown): Acknowledgement {
  const get = fieldsOf(body);
  const errors: FieldError[] = [];
  const str = (name: string, max: number): string => {
    const value = get(name);
    const asText = typeof value === 'number' ? String(value) : value;
    if (typeof asText !== 'string' || !asText.trim()) { errors.push({ field: name, message: 'is required' }); return ''; }
    if (asText.length > max) errors.push({ field: name, message: `must be at most ${max} characters` });
    return asText.trim();
  };
  const transactionId = str('transactionId', 40);
  const accountReference = str('accountReference', 64);
  const fullName = str('fullName', 200);
  const invoiceName = str('invoiceName', 200);
  const externalReference = str('externalReference', 64);
  const phone = str('phoneNumber', 20).replace(/\s/g, '');
  if (phone && !/^(?:\+?254|0)\d{9}$/.test(phone)) errors.push({ field: 'phoneNumber', message: 'must be a phone number such as 0710000000' });
  let paymentDate = '';
  try { paymentDate = parseDate(String(get('paymentDate') ?? '').slice(0, 10), 'paymentDate'); } catch { errors.push({ field: 'paymentDate', message: 'must be a date such as 2021-10-01' }); }
  let paidAmountMinor = 0;
  try {
    paidAmountMinor = parseMajor(get('paidAmount'), 'KES', { field: 'paidAmount', allowGrouping: false, allowZero: false });
  } catch (error) {
    errors.push({ field: 'paidAmount', message: get('paidAmount') === undefined ? 'is required' : error instanceof AppError ? error.message.replace(/^paidAmount: /, '') : 'is not an amount' });
  }
  if (errors.length) throw badRequest(errors);
  return { transactionId, paidAmountMinor, accountReference, externalReference, paymentDate, phoneE164: `+254${phone.slice(-9)}`, fullName, invoiceName };
}
