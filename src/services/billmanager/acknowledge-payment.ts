/**
 * The biller's reconciliation acknowledgement (seed 000, step 3): checked against the payment we
 * recorded (same transaction id, amount and account), then the e-receipt SMS is queued. A repeat
 * is an idempotent success and queues nothing new.
 */
import { accountRefKey } from '../../domain/customers.js';
import { AppError, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { formatMoney, parseCurrency } from '../../domain/money.js';
import { enqueueMessage } from '../../jobs/outbox/enqueue.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { isUniqueViolation } from '../tx.js';

export interface Acknowledgement {
  transactionId: string;
  paidAmountMinor: number;
  accountReference: string;
  externalReference: string | null;
  paymentDate: string;
  phoneE164: string;
  fullName: string;
  invoiceName: string;
}

export async function acknowledgePayment(ctx: Ctx, businessId: string, shortcodes: string[], ack: Acknowledgement, businessName: string): Promise<{ repeated: boolean }> {
  const payment = await ctx.store.db.selectFrom('payments').selectAll()
    .where('business_id', '=', businessId).where('provider_ref', '=', ack.transactionId)
    .where((eb) => eb.or([eb('shortcode', 'in', shortcodes), eb('shortcode', 'is', null)])).executeTakeFirst();
  if (!payment) throw notFound(`transaction ${ack.transactionId}`);
  if (Number(payment.amount_minor) !== ack.paidAmountMinor) {
    throw new AppError('validation_failed', `paidAmount does not match transaction ${ack.transactionId}`, { field: 'paidAmount' });
  }
  if (payment.account_ref_raw !== null && accountRefKey(payment.account_ref_raw) !== accountRefKey(ack.accountReference)) {
    throw new AppError('validation_failed', `accountReference does not match transaction ${ack.transactionId}`, { field: 'accountReference' });
  }
  const now = ctx.clock.now();
  try {
    await ctx.store.db.transaction().execute(async (trx) => {
      await trx.insertInto('billmanager_acks').values({
        id: newId('ack'), business_id: businessId, payment_id: payment.id, external_ref: ack.externalReference,
        payload_json: JSON.stringify(ack), created_at: now.toISOString(),
      }).execute();
      await enqueueMessage(trx, now, {
        businessId, channel: 'sms', kind: 'receipt', dedupeKey: `receipt:${payment.id}:sms`, recipient: ack.phoneE164,
        payload: { template: 'receipt', paymentId: payment.id, vars: {
          business_name: businessName, customer_name: ack.fullName, invoice_name: ack.invoiceName, transaction_id: ack.transactionId,
          amount: formatMoney(ack.paidAmountMinor, parseCurrency(payment.currency)), account_ref: ack.accountReference, payment_date: ack.paymentDate,
        } },
      });
      await recordAudit(trx, ctx, { businessId, action: 'billmanager.payment_acknowledged', entityType: 'payment', entityId: payment.id, data: { external_reference: ack.externalReference } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { repeated: true };
    throw error;
  }
  return { repeated: false };
}
