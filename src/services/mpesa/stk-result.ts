/**
 * Settles an STK push from its callback or from Daraja's STK query, whichever comes first; the
 * other finds it settled and changes nothing. A success is a payment on rail mpesa_stk keyed by
 * the checkout id, so callback and query can never credit it twice.
 */
import { STK_RESULTS } from '../../rails/mpesa/daraja-wire.js';
import type { Ctx } from '../context.js';
import { receivePayment } from '../payments/receive-payment.js';

export type StkStatus = 'pending' | 'paid' | 'cancelled' | 'failed';

export function statusForResult(resultCode: number): StkStatus {
  if (resultCode === 0) return 'paid';
  if (resultCode === 1032) return 'cancelled';
  return 'failed';
}

export async function applyStkResult(ctx: Ctx, checkoutRequestId: string, result: { resultCode: number; resultDesc: string; receipt?: string | null; phone?: string | null; amountMinor?: number | null; raw?: unknown }): Promise<{ status: StkStatus; changed: boolean } | null> {
  const request = await ctx.store.db.selectFrom('stk_requests').selectAll().where('checkout_request_id', '=', checkoutRequestId).executeTakeFirst();
  if (!request) return null;
  const status = statusForResult(result.resultCode);
  const now = ctx.clock.now().toISOString();
  if (request.status !== 'pending') return { status: request.status as StkStatus, changed: false };
  let paymentId: string | null = null;
  if (status === 'paid') {
    // The callback states the amount; the query does not: then what we asked for is what was paid.
    const amountMinor = result.amountMinor ?? Number(request.amount_minor);
    const received = await receivePayment({ ...ctx, actor: { type: 'provider', id: 'daraja', requestId: ctx.actor.requestId } }, request.business_id, {
      rail: 'mpesa_stk', providerRef: checkoutRequestId, amountMinor, currency: 'KES', invoiceId: request.invoice_id,
      payerPhone: result.phone ?? request.phone, accountRef: null, rawPayload: { ...(result.raw ? { callback: result.raw } : {}), receipt: result.receipt ?? null },
    });
    paymentId = received.payment.id;
  }
  // Guarded: only a still-pending request changes, so a racing callback and query settle it once.
  await ctx.store.db.updateTable('stk_requests')
    .set({ status, result_code: result.resultCode, result_desc: result.resultDesc || STK_RESULTS[result.resultCode] || null, receipt: result.receipt ?? null, payment_id: paymentId, updated_at: now })
    .where('checkout_request_id', '=', checkoutRequestId).where('status', '=', 'pending').execute();
  return { status, changed: true };
}
