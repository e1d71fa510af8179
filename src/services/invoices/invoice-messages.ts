/**
 * What an issued invoice queues in the outbox, in the invoice's own transaction: the SMS e-invoice
 * now, and, when the business has reminders on, one reminder 7 and 3 days before and on the due
 * date at the business's reminder hour (local time). Each has a dedupe key, so nothing is queued
 * twice; paying or cancelling the invoice cancels the reminders still pending.
 */
import { randomUUID } from 'node:crypto';
import { addDays, localDate, zonedTimeToUtc } from '../../domain/clock.js';
import { formatMoney, parseCurrency } from '../../domain/money.js';
import { cancelMessages, enqueueMessage, type OutgoingMessage } from '../../jobs/outbox/enqueue.js';
import type { CustomerRow, InvoiceRow } from '../../storage/schema.js';
import type { Q } from '../tx.js';

export const REMINDER_DAYS_BEFORE = [7, 3, 0] as const;
export const REMINDER_LOCAL_TIME = '09:00:00';

export interface InvoiceMessageContext {
  businessName: string;
  timezone: string;
  language: string;
  paybill: string | null;
  publicUrl: string;
  remindersOn: boolean;
  /** HH:MM:SS local time; the business's setting, 09:00 by default. */
  reminderLocalTime?: string;
  /** MTN MoMo is on for the invoice's currency: its MoMo invoice is created through the outbox. */
  momo?: boolean;
}

export function invoiceVars(invoice: InvoiceRow, customer: CustomerRow, c: InvoiceMessageContext, balanceMinor = Number(invoice.total_minor)) {
  return {
    business_name: c.businessName,
    customer_name: customer.name,
    invoice_name: invoice.name,
    invoice_number: invoice.number,
    amount: formatMoney(balanceMinor, parseCurrency(invoice.currency)),
    account_ref: customer.account_ref,
    paybill: c.paybill ?? '',
    due_date: invoice.due_date,
    pay_url: `${c.publicUrl}/i/${invoice.public_token}`,
    // Filled in when the SMS is sent, once the MoMo payment reference is known.
    momo_line: '',
  };
}

/** The messages an issued invoice causes; the caller enqueues them in the invoice's transaction. */
export function invoiceMessages(now: Date, invoice: InvoiceRow, customer: CustomerRow, c: InvoiceMessageContext): OutgoingMessage[] {
  const language = customer.language ?? c.language;
  const vars = invoiceVars(invoice, customer, c);
  // The reference id is fixed here, so every retry of the create is the same MoMo invoice.
  const momo: OutgoingMessage[] = c.momo ? [{
    businessId: invoice.business_id, channel: 'momo', kind: 'momo_invoice', dedupeKey: `momo:${invoice.id}:issue`,
    recipient: invoice.id, payload: { invoiceId: invoice.id, referenceId: randomUUID() },
  }] : [];
  const email: OutgoingMessage[] = [...momo, ...(customer.email ? [{
    businessId: invoice.business_id, channel: 'email', kind: 'invoice', dedupeKey: `invoice:${invoice.id}:email`,
    recipient: customer.email, payload: { template: 'invoice', language, invoiceId: invoice.id, vars },
  } satisfies OutgoingMessage] : [])];
  if (!customer.phone) return email;
  const messages: OutgoingMessage[] = [...email, {
    businessId: invoice.business_id, channel: 'sms', kind: 'invoice', dedupeKey: `invoice:${invoice.id}:sms`,
    // momo: its MoMo invoice is queued with it, so the SMS waits for the reference.
    recipient: customer.phone, payload: { template: 'invoice', language, invoiceId: invoice.id, vars, ...(c.momo ? { momo: true } : {}) },
  }];
  if (!c.remindersOn) return messages;
  const today = localDate(now, c.timezone);
  for (const daysBefore of REMINDER_DAYS_BEFORE) {
    const day = addDays(invoice.due_date, -daysBefore);
    // A reminder whose day has passed is skipped; one due later today still goes out (catch-up).
    if (day < today) continue;
    const at = zonedTimeToUtc(day, c.reminderLocalTime ?? REMINDER_LOCAL_TIME, c.timezone);
    messages.push({
      businessId: invoice.business_id, channel: 'sms', kind: 'reminder', dedupeKey: `reminder:${invoice.id}:${invoice.due_date}:${daysBefore}d`,
      recipient: customer.phone, notBefore: at > now ? at : now,
      payload: { template: 'reminder', language, invoiceId: invoice.id, daysBefore, vars },
    });
  }
  return messages;
}

export async function cancelReminders(q: Q, now: Date, businessId: string, invoiceId: string): Promise<number> {
  return cancelMessages(q, now, businessId, `reminder:${invoiceId}:`);
}

/** An SMS about an invoice that changed state (overdue, cancelled), once per invoice and kind. */
export async function queueInvoiceNotice(q: Q, now: Date, invoiceId: string, kind: 'overdue' | 'cancellation', publicUrl = process.env.PUBLIC_URL ?? ''): Promise<void> {
  const row = await q.selectFrom('invoices').innerJoin('customers', 'customers.id', 'invoices.customer_id').innerJoin('businesses', 'businesses.id', 'invoices.business_id')
    .selectAll('invoices').select(['businesses.name as business_name', 'businesses.timezone', 'businesses.language as business_language'])
    .where('invoices.id', '=', invoiceId).executeTakeFirst();
  if (!row) return;
  const customer = await q.selectFrom('customers').selectAll().where('id', '=', row.customer_id).executeTakeFirstOrThrow();
  if (!customer.phone) return;
  const shortcode = row.shortcode ?? (await q.selectFrom('shortcodes').select('shortcode').where('business_id', '=', row.business_id).orderBy('created_at').executeTakeFirst())?.shortcode ?? null;
  const context = { businessName: row.business_name, timezone: row.timezone, language: row.business_language, paybill: shortcode, publicUrl, remindersOn: false };
  await enqueueMessage(q, now, {
    businessId: row.business_id, channel: 'sms', kind, dedupeKey: `${kind}:${invoiceId}:sms`, recipient: customer.phone,
    payload: { template: kind, language: customer.language ?? row.business_language, invoiceId, vars: invoiceVars(row, customer, context) },
  });
}
