/** An invoice paid another way (M-PESA, card, credit) no longer needs its MoMo invoice at MTN: it is cancelled. */
import { onPaymentRecorded } from '../payments/payment-events.js';
import { requestMomoCancels } from './cancel-momo.js';

export function registerMomoHooks(): void {
  onPaymentRecorded('momo-close-paid', async (trx, ctx, { payment, allocations }) => {
    if (allocations.length === 0) return;
    const paid = await trx.selectFrom('invoices').select('id').where('id', 'in', [...new Set(allocations.map((a) => a.invoiceId))]).where('status', '=', 'paid').execute();
    await requestMomoCancels(trx, ctx.clock.now(), payment.business_id, paid.map((i) => i.id), payment.rail === 'momo' ? payment.provider_ref : undefined);
  });
}
