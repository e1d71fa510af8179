/**
 * The second MoMo method on the pay page: a request-to-pay prompt on the payer's phone (v1_0).
 * Same discipline as invoices: our reference id is stored before MTN is called, the callback only
 * triggers a status read, and the poll job looks until the request ends.
 */
import { randomUUID } from 'node:crypto';
import { invalid } from '../../domain/errors.js';
import { assertCanAllocate, type InvoiceStatus } from '../../domain/invoices/status.js';
import { parseCurrency } from '../../domain/money.js';
import { amountToCollect } from '../../domain/payments/amount-to-collect.js';
import { normalisePhone } from '../../domain/phone.js';
import type { KeyRing } from '../../security/secret-box.js';
import type { Ctx } from '../context.js';
import { balanceOf, findInvoice } from '../invoices/invoice-queries.js';
import { createAtMtn, msisdnOf, type MomoRequestRow } from './momo-invoices.js';
import { momoOffered } from './momo-settings.js';

/** MTN times a prompt out within minutes; an hour covers it with room to spare. */
const PROMPT_LIFETIME_MS = 3600_000;

export async function requestMomoPayment(ctx: Ctx, keys: KeyRing, businessId: string, input: { invoiceId: string; phone: string; amount?: unknown }, publicUrl: string): Promise<MomoRequestRow> {
  const db = ctx.store.db;
  const invoice = await findInvoice(db, businessId, input.invoiceId);
  assertCanAllocate(invoice.status as InvoiceStatus);
  const settings = await momoOffered(db, businessId, invoice.currency);
  if (!settings) throw invalid('method', `MTN MoMo is not offered for ${invoice.currency} invoices of this business`);
  const business = await db.selectFrom('businesses').select('country').where('id', '=', businessId).executeTakeFirstOrThrow();
  const phone = normalisePhone(input.phone, business.country, 'phone_number');
  const currency = parseCurrency(invoice.currency);
  const amountMinor = amountToCollect(input.amount, await balanceOf(db, invoice), currency);
  const now = ctx.clock.now();
  const row: MomoRequestRow = {
    id: randomUUID(), business_id: businessId, invoice_id: invoice.id, kind: 'rtp', status: 'creating', live_slot: null, currency, amount_minor: amountMinor,
    payer_msisdn: msisdnOf(phone), payment_reference: null, momo_status: null, reason: null, expires_at: new Date(now.getTime() + PROMPT_LIFETIME_MS).toISOString(),
    next_poll_at: new Date(now.getTime() + 10_000).toISOString(), polls: 0, cancel_requested_at: null, payment_id: null, created_at: now.toISOString(), updated_at: now.toISOString(),
  };
  await db.insertInto('momo_requests').values(row).execute();
  return createAtMtn(ctx, keys, row, publicUrl);
}
