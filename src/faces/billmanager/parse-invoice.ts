/** One Bill Manager invoice from the wire, every field of seed 000's table checked, problems named by field and index. */
import { zonedTimeToUtc, localDate, parseDate } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import { parseMajor, sumMinor } from '../../domain/money.js';
import type { BillManagerInvoice } from '../../services/billmanager/send-invoices.js';
import { fieldsOf, type FieldError } from './wire.js';
import { normaliseSafaricom } from '../../domain/safaricom-phone.js';

const LIMITS = { externalReference: 64, billedFullName: 200, billedPeriod: 100, invoiceName: 200, accountReference: 64, itemName: 200 };
export const ITEMS_MAX = 100;

/** 2021-10-12, 2021-09-15 00:00:00.00, 2024-01-31 23:59:00, 2024-01-31T23:59:00: the date in the business's zone. */
export function parseDueDate(input: unknown, timezone: string): string {
  if (typeof input !== 'string') throw new Error('must be a date such as 2021-10-12 or 2024-01-31 23:59:00');
  const match = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?$/.exec(input.trim());
  if (!match) throw new Error(`"${input}" is not a date such as 2021-10-12 or 2024-01-31 23:59:00`);
  const date = parseDate(match[1], 'dueDate');
  if (match[2] === undefined) return date;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) throw new Error(`"${input}" has an invalid time`);
  // Wall-clock time in the business's zone: the calendar date is the one the business means.
  return localDate(zonedTimeToUtc(date, `${match[2]}:${match[3]}:${String(second).padStart(2, '0')}`, timezone), timezone);
}

function text(value: unknown, field: keyof typeof LIMITS, errors: FieldError[], index: number | undefined): string {
  const asText = typeof value === 'number' ? String(value) : value;
  if (typeof asText !== 'string' || asText.trim() === '') {
    errors.push({ index, field, message: 'is required' });
    return '';
  }
  if (asText.trim().length > LIMITS[field]) errors.push({ index, field, message: `must be at most ${LIMITS[field]} characters` });
  return asText.trim();
}

function amount(value: unknown, field: string, errors: FieldError[], index: number | undefined): number {
  try {
    return parseMajor(value, 'KES', { field, allowGrouping: false, allowZero: false });
  } catch (error) {
    errors.push({ index, field, message: error instanceof AppError ? error.message.replace(`${field}: `, '') : 'is not an amount' });
    return 0;
  }
}

export function parseBillManagerInvoice(raw: unknown, timezone: string, index?: number): { invoice: BillManagerInvoice } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { errors: [{ index, field: 'invoice', message: 'must be a JSON object' }] };
  const get = fieldsOf(raw);
  const externalReference = text(get('externalReference'), 'externalReference', errors, index);
  const billedFullName = text(get('billedFullName'), 'billedFullName', errors, index);
  const billedPeriod = text(get('billedPeriod'), 'billedPeriod', errors, index);
  const invoiceName = text(get('invoiceName'), 'invoiceName', errors, index);
  const accountReference = text(get('accountReference'), 'accountReference', errors, index);
  const phone = normaliseSafaricom(get('billedPhoneNumber'));
  if ('error' in phone) errors.push({ index, field: 'billedPhoneNumber', message: get('billedPhoneNumber') === undefined ? 'is required' : phone.error });
  let dueDate = '';
  try {
    dueDate = parseDueDate(get('dueDate'), timezone);
  } catch (error) {
    errors.push({ index, field: 'dueDate', message: get('dueDate') === undefined ? 'is required' : (error as Error).message.replace(/^dueDate: /, '') });
  }
  const amountMinor = get('amount') === undefined ? (errors.push({ index, field: 'amount', message: 'is required' }), 0) : amount(get('amount'), 'amount', errors, index);
  const rawItems = get('invoiceItems') ?? [];
  const items: BillManagerInvoice['items'] = [];
  if (!Array.isArray(rawItems)) errors.push({ index, field: 'invoiceItems', message: 'must be an array' });
  else if (rawItems.length > ITEMS_MAX) errors.push({ index, field: 'invoiceItems', message: `must hold at most ${ITEMS_MAX} items` });
  else {
    rawItems.forEach((item, i) => {
      const itemFields = fieldsOf(item);
      const name = itemFields('itemName');
      if (typeof name !== 'string' || !name.trim()) errors.push({ index, field: `invoiceItems[${i}].itemName`, message: 'is required' });
      else if (name.length > LIMITS.itemName) errors.push({ index, field: `invoiceItems[${i}].itemName`, message: `must be at most ${LIMITS.itemName} characters` });
      const itemAmount = itemFields('amount') === undefined ? (errors.push({ index, field: `invoiceItems[${i}].amount`, message: 'is required' }), 0) : amount(itemFields('amount'), `invoiceItems[${i}].amount`, errors, index);
      items.push({ name: typeof name === 'string' ? name.trim() : '', amountMinor: itemAmount });
    });
    if (errors.length === 0 && items.length > 0 && sumMinor(items.map((i) => i.amountMinor)) !== amountMinor) {
      errors.push({ index, field: 'amount', message: 'must equal the sum of invoiceItems amounts' });
    }
  }
  if (errors.length) return { errors };
  return { invoice: { externalReference, billedFullName, billedPhone: (phone as { e164: string }).e164, billedPeriod, invoiceName, dueDate, accountReference, amountMinor, items } };
}
