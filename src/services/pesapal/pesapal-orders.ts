/**
 * Card payments through Pesapal. Saving the settings registers our IPN URL. An order is submitted
 * outside any transaction and stored by our merchant reference. Every IPN, return and status poll
 * ends in `confirmPesapalOrder`, which asks GetTransactionStatus and credits only a COMPLETED order
 * whose reference, currency and amount match ours — an IPN alone is never proof.
 */
import type { Clock } from '../../domain/clock.js';
import { AppError, invalid, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { amountToCollect } from '../../domain/payments/amount-to-collect.js';
import { mismatchOf } from '../../domain/payments/paid-as-asked.js';
import { assertCanAllocate, type InvoiceStatus } from '../../domain/invoices/status.js';
import { formatMajor, parseCurrency } from '../../domain/money.js';
import { PesapalClient } from '../../rails/pesapal/pesapal-client.js';
import { open, seal, type KeyRing } from '../../security/secret-box.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { balanceOf, findInvoice } from '../invoices/invoice-queries.js';
import { receivePayment } from '../payments/receive-payment.js';
import { perBusinessCache } from '../settings-cache.js';
import type { Q } from '../tx.js';

const clients = perBusinessCache<PesapalClient>();

async function clientFor(q: Q, keys: KeyRing, clock: Clock, businessId: string) {
  const settings = await q.selectFrom('pesapal_settings').selectAll().where('business_id', '=', businessId).executeTakeFirst();
  if (!settings) throw new AppError('validation_failed', 'card payments are not set up for this business', { field: 'method' });
  const client = clients(businessId, settings.updated_at,
    () => new PesapalClient({ baseUrl: settings.base_url, consumerKey: settings.consumer_key, consumerSecret: open(keys, settings.consumer_secret_sealed) }, clock));
  return { client, settings };
}

export async function putPesapalSettings(ctx: Ctx, keys: KeyRing, businessId: string, input: { consumerKey: string; consumerSecret: string; baseUrl: string; ipnType?: 'GET' | 'POST' }, publicUrl: string): Promise<{ ipnId: string }> {
  const client = new PesapalClient({ baseUrl: input.baseUrl, consumerKey: input.consumerKey, consumerSecret: input.consumerSecret }, ctx.clock);
  const ipnId = await client.registerIpn(`${publicUrl}/api/callbacks/pesapal/ipn`, input.ipnType ?? 'GET');
  const row = { business_id: businessId, consumer_key: input.consumerKey, consumer_secret_sealed: seal(keys, input.consumerSecret), base_url: input.baseUrl, ipn_id: ipnId, updated_at: ctx.clock.now().toISOString() };
  await ctx.store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('pesapal_settings').select('business_id').where('business_id', '=', businessId).executeTakeFirst();
    if (existing) await trx.updateTable('pesapal_settings').set(row).where('business_id', '=', businessId).execute();
    else await trx.insertInto('pesapal_settings').values(row).execute();
    await recordAudit(trx, ctx, { businessId, action: 'pesapal.settings_saved', entityType: 'pesapal_settings', entityId: businessId, data: { ipn_id: ipnId } });
  });
  clients.forget(businessId);
  return { ipnId };
}

export async function initiatePesapal(ctx: Ctx, keys: KeyRing, businessId: string, input: { invoiceId: string; amount?: unknown; currency?: string }, publicUrl: string) {
  const invoice = await findInvoice(ctx.store.db, businessId, input.invoiceId);
  assertCanAllocate(invoice.status as InvoiceStatus);
  const currency = parseCurrency(invoice.currency);
  if (input.currency && parseCurrency(input.currency) !== currency) throw invalid('currency', `the invoice is in ${currency}`);
  const amountMinor = amountToCollect(input.amount, await balanceOf(ctx.store.db, invoice), currency);
  const customer = await ctx.store.db.selectFrom('customers').select(['name', 'email', 'phone']).where('id', '=', invoice.customer_id).executeTakeFirstOrThrow();
  if (!customer.email && !customer.phone) throw invalid('invoice_id', 'card payment needs the customer’s email or phone');
  const { client, settings } = await clientFor(ctx.store.db, keys, ctx.clock, businessId);
  const reference = newId('pp');
  const order = await client.submitOrder({ id: reference, currency, amountText: formatMajor(amountMinor, currency), description: `Invoice ${invoice.number}`,
    callbackUrl: `${publicUrl}/api/payments/pesapal/return`, notificationId: settings.ipn_id, email: customer.email, phone: customer.phone, name: customer.name });
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.insertInto('pesapal_orders').values({ id: reference, business_id: businessId, invoice_id: invoice.id, tracking_id: order.trackingId, currency, amount_minor: amountMinor,
    status: 'pending', confirmation_code: null, payment_id: null, created_at: now, updated_at: now }).execute();
  return { trackingId: order.trackingId, redirectUrl: order.redirectUrl, merchantReference: reference, amountMinor };
}

export async function confirmPesapalOrder(ctx: Ctx, keys: KeyRing, trackingId: string): Promise<{ status: string; merchantReference: string }> {
  const order = await ctx.store.db.selectFrom('pesapal_orders').selectAll().where('tracking_id', '=', trackingId).executeTakeFirst();
  if (!order) throw notFound('Pesapal order');
  if (order.status !== 'pending') return { status: order.status, merchantReference: order.id };
  const { client } = await clientFor(ctx.store.db, keys, ctx.clock, order.business_id);
  const answer = await client.transactionStatus(trackingId);
  const now = ctx.clock.now().toISOString();
  if (answer.statusCode === 0) return { status: 'pending', merchantReference: order.id };
  let status = answer.statusCode === 1 ? 'completed' : answer.statusCode === 2 ? 'failed' : 'reversed';
  let paymentId: string | null = null;
  if (answer.statusCode === 1) {
    const currency = parseCurrency(order.currency);
    const paidMinor = Number(order.amount_minor);
    if (mismatchOf({ reference: order.id, currency, amountMinor: paidMinor }, { reference: answer.merchantReference, currency: answer.currency, amountText: answer.amountText })) {
      // A completed order that does not match what we asked for is not credited: a person must look.
      status = 'mismatch';
    } else {
      const received = await receivePayment({ ...ctx, actor: { type: 'provider', id: 'pesapal', requestId: ctx.actor.requestId } }, order.business_id, {
        rail: 'pesapal', providerRef: trackingId, amountMinor: paidMinor, currency, invoiceId: order.invoice_id, rawPayload: answer,
      });
      paymentId = received.payment.id;
    }
  }
  await ctx.store.db.updateTable('pesapal_orders').set({ status, confirmation_code: answer.confirmationCode, payment_id: paymentId, updated_at: now })
    .where('tracking_id', '=', trackingId).where('status', '=', 'pending').execute();
  return { status, merchantReference: order.id };
}

/** Orders still pending after a while are asked about, so a lost IPN never loses a payment. */
export async function confirmPendingPesapalOrders(ctx: Ctx, keys: KeyRing, olderThanMs = 120_000): Promise<number> {
  const before = new Date(ctx.clock.now().getTime() - olderThanMs).toISOString();
  const pending = await ctx.store.db.selectFrom('pesapal_orders').select('tracking_id').where('status', '=', 'pending').where('created_at', '<=', before).limit(50).execute();
  let settled = 0;
  for (const order of pending) if ((await confirmPesapalOrder(ctx, keys, order.tracking_id)).status !== 'pending') settled += 1;
  return settled;
}
