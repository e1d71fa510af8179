/**
 * MoMo invoices for our invoices (seed 003). The X-Reference-Id is chosen and stored before MTN is
 * called, so a create that timed out is retried under the same id (MTN answers 409: already
 * there). The row is written outside any transaction that holds money, and MTN is called outside
 * any transaction at all. One live MoMo invoice per invoice: an expired or failed one is replaced
 * when the payer opens the pay page again.
 */
import { randomUUID } from 'node:crypto';
import { zonedTimeToUtc } from '../../domain/clock.js';
import { AppError, invalid } from '../../domain/errors.js';
import { COLLECTIBLE, type InvoiceStatus } from '../../domain/invoices/status.js';
import { formatMajor, parseCurrency } from '../../domain/money.js';
import { validitySeconds } from '../../rails/momo/momo-client.js';
import type { KeyRing } from '../../security/secret-box.js';
import type { MomoRequestsTable } from '../../storage/schema-momo.js';
import type { Ctx } from '../context.js';
import { balanceOf, findInvoice } from '../invoices/invoice-queries.js';
import { isUniqueViolation } from '../tx.js';
import { momoClientOf, momoOffered } from './momo-settings.js';
import { settleMomoRequest } from './settle-momo.js';

/** An overdue invoice is still payable: its MoMo invoice then lives a week. */
const OVERDUE_VALIDITY_MS = 7 * 24 * 3600_000;
/** The first look for the payment reference comes soon after creation. */
const FIRST_POLL_MS = 10_000;

export type MomoRequestRow = MomoRequestsTable;

export function msisdnOf(phone: string | null): string | null {
  return phone ? phone.replace(/^\+/, '') : null;
}

export async function liveMomoInvoice(q: Ctx['store']['db'], invoiceId: string): Promise<MomoRequestRow | undefined> {
  return q.selectFrom('momo_requests').selectAll().where('invoice_id', '=', invoiceId).where('kind', '=', 'invoice').where('live_slot', '=', 'live').executeTakeFirst();
}

/**
 * Makes sure a payable invoice has a live MoMo invoice with MTN, creating one under `referenceId`
 * (the outbox message's) when none is live. Answers undefined when MoMo is not offered for it.
 */
export async function ensureMomoInvoice(ctx: Ctx, keys: KeyRing, businessId: string, invoiceId: string, publicUrl: string, opts: { referenceId?: string; retryCreating?: boolean } = {}): Promise<MomoRequestRow | undefined> {
  const referenceId = opts.referenceId ?? randomUUID();
  const db = ctx.store.db;
  const invoice = await findInvoice(db, businessId, invoiceId);
  if (!COLLECTIBLE.has(invoice.status as InvoiceStatus)) return undefined;
  const settings = await momoOffered(db, businessId, invoice.currency);
  if (!settings) return undefined;
  let live = await liveMomoInvoice(db, invoiceId);
  // An expired one is settled first (a last-moment payment is still credited), then replaced.
  if (live && new Date(live.expires_at) <= ctx.clock.now()) {
    live = await settleMomoRequest(ctx, keys, live.id);
    if (live?.live_slot !== 'live') live = await liveMomoInvoice(db, invoiceId);
  }
  let fresh = false;
  if (!live) {
    const balance = await balanceOf(db, invoice);
    if (balance <= 0) return undefined;
    const business = await db.selectFrom('businesses').select('timezone').where('id', '=', businessId).executeTakeFirstOrThrow();
    const customer = await db.selectFrom('customers').select('phone').where('id', '=', invoice.customer_id).executeTakeFirstOrThrow();
    const now = ctx.clock.now();
    const dueEnd = zonedTimeToUtc(invoice.due_date, '23:59:59', business.timezone);
    const until = dueEnd > now ? dueEnd : new Date(now.getTime() + OVERDUE_VALIDITY_MS);
    const row: MomoRequestRow = {
      id: referenceId, business_id: businessId, invoice_id: invoice.id, kind: 'invoice', status: 'creating', live_slot: 'live', currency: invoice.currency,
      amount_minor: balance, payer_msisdn: msisdnOf(customer.phone), payment_reference: null, momo_status: null, reason: null,
      expires_at: new Date(now.getTime() + validitySeconds(now, until) * 1000).toISOString(), next_poll_at: new Date(now.getTime() + FIRST_POLL_MS).toISOString(), polls: 0,
      cancel_requested_at: null, payment_id: null, created_at: now.toISOString(), updated_at: now.toISOString(),
    };
    try {
      await db.insertInto('momo_requests').values(row).execute();
      live = row;
      fresh = true;
    } catch (error) {
      // Another request (the outbox, a second page view) created it first: use theirs.
      if (!isUniqueViolation(error)) throw error;
      live = await liveMomoInvoice(db, invoiceId);
      if (!live) throw error;
    }
  }
  // A page view creates only its own; one MTN has not yet accepted is the outbox's or poll job's to retry, so a page never waits on a failing MTN twice.
  if (live.status === 'creating' && (fresh || opts.retryCreating !== false)) live = await createAtMtn(ctx, keys, live, publicUrl);
  return live;
}

export function momoCallbackUrl(publicUrl: string, referenceId: string): string {
  return `${publicUrl}/api/callbacks/momo/${referenceId}`;
}

/** Creates the MoMo invoice or request-to-pay under the row's id, then reads its status (the payment reference). Safe to repeat. */
export async function createAtMtn(ctx: Ctx, keys: KeyRing, row: MomoRequestRow, publicUrl: string): Promise<MomoRequestRow> {
  const settings = await momoOffered(ctx.store.db, row.business_id);
  if (!settings) throw new AppError('validation_failed', 'MTN MoMo is not on for this business', { field: 'method' });
  const client = momoClientOf(keys, ctx.clock, settings);
  const currency = parseCurrency(row.currency);
  const invoice = await findInvoice(ctx.store.db, row.business_id, row.invoice_id);
  if (row.kind === 'invoice') {
    if (!row.payer_msisdn && !settings.payee_msisdn) throw invalid('phone_number', 'a MoMo invoice needs the customer’s phone number');
    await client.createInvoice({
      referenceId: row.id, externalId: row.invoice_id, amountText: formatMajor(Number(row.amount_minor), currency), currency,
      validitySeconds: Math.max(60, Math.floor((new Date(row.expires_at).getTime() - ctx.clock.now().getTime()) / 1000)),
      payerMsisdn: row.payer_msisdn ?? settings.payee_msisdn!, payeeMsisdn: settings.payee_msisdn ?? undefined,
      description: `${invoice.number} ${invoice.name}`, callbackUrl: momoCallbackUrl(publicUrl, row.id),
    });
  } else {
    await client.requestToPay({ referenceId: row.id, externalId: row.invoice_id, amountText: formatMajor(Number(row.amount_minor), currency), currency,
      payerMsisdn: row.payer_msisdn!, message: `${invoice.number} ${invoice.name}`, callbackUrl: momoCallbackUrl(publicUrl, row.id) });
  }
  await ctx.store.db.updateTable('momo_requests').set({ status: 'pending', updated_at: ctx.clock.now().toISOString() }).where('id', '=', row.id).where('status', '=', 'creating').execute();
  // The payment reference comes from the status read; settle records it (or a payment, or a failure).
  return (await settleMomoRequest(ctx, keys, row.id, { created: true }))!;
}
