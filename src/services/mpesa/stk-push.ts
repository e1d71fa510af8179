/**
 * STK push (M-PESA Express) from the pay page: the payer's phone is prompted for the invoice's
 * balance (or part of it). The request to Daraja runs outside any transaction; its checkout id is
 * then stored as pending until the callback or the query job settles it.
 */
import { AppError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { assertCanAllocate, type InvoiceStatus } from '../../domain/invoices/status.js';
import { exponentOf, parseCurrency } from '../../domain/money.js';
import { normaliseSafaricom } from '../../domain/safaricom-phone.js';
import type { KeyRing } from '../../security/secret-box.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { balanceOf, findInvoice } from '../invoices/invoice-queries.js';
import { darajaClientFor } from './mpesa-settings.js';
import { hashPathSecret } from './register-urls.js';
import { randomBytes } from 'node:crypto';

export interface StkInitiated {
  checkoutRequestId: string;
  amountMinor: number;
  customerMessage: string;
}

export async function initiateStkPush(ctx: Ctx, keys: KeyRing, businessId: string, input: { invoiceId: string; phone: string; amountMinor?: number }, publicUrl: string): Promise<StkInitiated> {
  const phone = normaliseSafaricom(input.phone);
  if ('error' in phone) throw invalid('phone_number', phone.error);
  const invoice = await findInvoice(ctx.store.db, businessId, input.invoiceId);
  assertCanAllocate(invoice.status as InvoiceStatus);
  const currency = parseCurrency(invoice.currency);
  if (currency !== 'KES') throw invalid('invoice_id', `M-PESA takes KES; this invoice is in ${currency}`);
  const balanceMinor = await balanceOf(ctx.store.db, invoice);
  const { client, settings } = await darajaClientFor(ctx.store.db, keys, ctx.clock, businessId);
  const amountMinor = input.amountMinor ?? balanceMinor;
  if (amountMinor <= 0) throw invalid('amount', 'must be greater than zero');
  if (amountMinor > balanceMinor && settings.allow_prepayment !== 1) throw invalid('amount', `must not exceed the balance (${balanceMinor} minor units)`);
  const unit = 10 ** exponentOf(currency);
  // STK push takes whole shillings; a balance with cents is rounded up so the invoice can be settled.
  const wholeKes = Math.ceil(amountMinor / unit);
  const callbackToken = randomBytes(18).toString('base64url');
  const callbackUrl = `${publicUrl}/api/callbacks/mpesa?k=${callbackToken}`;
  const accepted = await client.stkPush({ amountWholeKes: wholeKes, phone: phone.e164.slice(1), callbackUrl, accountReference: invoice.number.replace('-', ''), description: 'Invoice' });
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('stk_requests').values({
      id: newId('stk'), business_id: businessId, invoice_id: invoice.id, checkout_request_id: accepted.checkoutRequestId, merchant_request_id: accepted.merchantRequestId,
      phone: phone.e164, amount_minor: wholeKes * unit, status: 'pending', result_code: null, result_desc: null, receipt: null, payment_id: null, callback_token_hash: hashPathSecret(callbackToken), created_at: now, updated_at: now,
    }).execute();
    await recordAudit(trx, ctx, { businessId, action: 'mpesa.stk_pushed', entityType: 'invoice', entityId: invoice.id, data: { checkout_request_id: accepted.checkoutRequestId, amount_minor: wholeKes * unit } });
  });
  if (!accepted.checkoutRequestId) throw new AppError('provider_error', 'M-PESA gave no checkout id');
  return { checkoutRequestId: accepted.checkoutRequestId, amountMinor: wholeKes * unit, customerMessage: accepted.customerMessage };
}
