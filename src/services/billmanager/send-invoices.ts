/**
 * Bill Manager single and bulk invoicing. externalReference is unique per shortcode: a repeat with
 * the same content is an idempotent success (no second SMS), a repeat with other content is
 * refused. A bulk call is all or nothing and names the index of the invoice that failed.
 */
import { createHash } from 'node:crypto';
import { AppError } from '../../domain/errors.js';
import { getBusiness } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { createInvoices, type CreatedInvoice } from '../invoices/create-invoices.js';
import { invoiceMessages } from '../invoices/invoice-messages.js';
import { reminderTimeOf } from '../notifications/notification-settings.js';
import { enqueueMessages } from '../../jobs/outbox/enqueue.js';
import { isUniqueViolation, insertRows } from '../tx.js';
import { momoOffered } from '../momo/momo-settings.js';

export interface BillManagerInvoice {
  externalReference: string;
  billedFullName: string;
  /** E.164, +2547… or +2541… */
  billedPhone: string;
  billedPeriod: string;
  invoiceName: string;
  dueDate: string;
  accountReference: string;
  amountMinor: number;
  items: Array<{ name: string; amountMinor: number }>;
}

export interface InvoiceProblem {
  index: number;
  field: string;
  message: string;
}

export function requestHash(invoice: BillManagerInvoice): string {
  return createHash('sha256').update(JSON.stringify(invoice)).digest('hex');
}

export async function sendBillManagerInvoices(ctx: Ctx, businessId: string, optin: { shortcode: string; send_reminders: number }, invoices: BillManagerInvoice[], publicUrl: string): Promise<{ created: number; repeated: number }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce(ctx, businessId, optin, invoices, publicUrl);
    } catch (error) {
      // Two calls raced on one externalReference: the second pass sees the first one's invoice.
      if (attempt === 0 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

async function sendOnce(ctx: Ctx, businessId: string, optin: { shortcode: string; send_reminders: number }, invoices: BillManagerInvoice[], publicUrl: string): Promise<{ created: number; repeated: number }> {
  const db = ctx.store.db;
  const problems: InvoiceProblem[] = [];
  const seen = new Map<string, number>();
  invoices.forEach((inv, index) => {
    const earlier = seen.get(inv.externalReference);
    if (earlier !== undefined) problems.push({ index, field: 'externalReference', message: `repeats invoice ${earlier} of this request` });
    seen.set(inv.externalReference, index);
  });
  if (problems.length) throw conflict(problems, 400);

  const hashes = invoices.map(requestHash);
  const existing = new Map<string, string>();
  const refs = invoices.map((i) => i.externalReference);
  for (let i = 0; i < refs.length; i += 500) {
    const rows = await db.selectFrom('billmanager_invoices').select(['external_ref', 'request_hash'])
      .where('business_id', '=', businessId).where('shortcode', '=', optin.shortcode).where('external_ref', 'in', refs.slice(i, i + 500)).execute();
    for (const row of rows) existing.set(row.external_ref, row.request_hash);
  }
  const fresh: number[] = [];
  invoices.forEach((inv, index) => {
    const prior = existing.get(inv.externalReference);
    if (prior === undefined) fresh.push(index);
    else if (prior !== hashes[index]) problems.push({ index, field: 'externalReference', message: `externalReference ${inv.externalReference} was already used for a different invoice` });
  });
  if (problems.length) throw conflict(problems, 409);
  if (fresh.length === 0) return { created: 0, repeated: invoices.length };

  const business = await getBusiness(db, businessId);
  const messageContext = { businessName: business.name, timezone: business.timezone, language: business.language, paybill: optin.shortcode, publicUrl, remindersOn: optin.send_reminders === 1, reminderLocalTime: await reminderTimeOf(db, businessId), momo: (await momoOffered(db, businessId, 'KES')) !== undefined };
  await createInvoices(ctx, businessId, fresh.map((index) => {
    const inv = invoices[index]!;
    return {
      customer: { accountRef: inv.accountReference, name: inv.billedFullName, phone: inv.billedPhone },
      name: inv.invoiceName, billedPeriod: inv.billedPeriod, dueDate: inv.dueDate, currency: 'KES',
      externalRef: inv.externalReference, shortcode: optin.shortcode, source: 'billmanager',
      items: (inv.items.length ? inv.items : [{ name: inv.invoiceName, amountMinor: inv.amountMinor }])
        .map((item) => ({ name: item.name, quantity: 1, unitPriceMinor: item.amountMinor, taxRateBps: 0 })),
    };
  }), {
    afterWrite: async (trx, created: CreatedInvoice[]) => {
      const now = ctx.clock.now();
      await insertRows(trx, 'billmanager_invoices', created.map((c, i) => ({
        invoice_id: c.invoice.id, business_id: businessId, shortcode: optin.shortcode, external_ref: invoices[fresh[i]!]!.externalReference,
        request_hash: hashes[fresh[i]!]!, created_at: now.toISOString(),
      })));
      await enqueueMessages(trx, now, created.flatMap((c) => invoiceMessages(now, c.invoice, c.customer, messageContext)));
    },
  });
  return { created: fresh.length, repeated: invoices.length - fresh.length };
}

export class InvoiceProblems extends AppError {
  constructor(readonly problems: InvoiceProblem[], status: 400 | 409) {
    super(status === 409 ? 'conflict' : 'validation_failed', problems.map((p) => `invoice ${p.index}: ${p.field}: ${p.message}`).join('; '), { field: problems[0]?.field });
  }
}

function conflict(problems: InvoiceProblem[], status: 400 | 409): InvoiceProblems {
  return new InvoiceProblems(problems, status);
}
