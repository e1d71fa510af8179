/** A payment's unapplied remainder is derived: amount − allocations − refunds. */
import { AppError, notFound } from '../../domain/errors.js';
import type { Engine } from '../../storage/database.js';
import type { PaymentRow } from '../../storage/schema.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import { forUpdate, type Q } from '../tx.js';

export async function paymentRemainderMinor(q: Q, paymentId: string, amountMinor: number): Promise<number> {
  const allocated = await q.selectFrom('allocations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('total'))
    .where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
  const refunded = await q.selectFrom('refunds')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_minor'), eb.lit(0)).as('total'))
    .where('payment_id', '=', paymentId).executeTakeFirstOrThrow();
  return amountMinor - Number(allocated.total) - Number(refunded.total);
}

export async function lockPayment(q: Q, engine: Engine, businessId: string, paymentId: string): Promise<PaymentRow> {
  const row = await forUpdate(engine, q.selectFrom('payments').selectAll()
    .where('business_id', '=', businessId).where('id', '=', paymentId)).executeTakeFirst();
  if (!row) throw notFound('payment');
  return row;
}

/** The customer's payments that still hold money, oldest first (the order credit is spent in). */
export async function paymentsWithRemainder(q: Q, businessId: string, customerId: string) {
  const rows = await q.selectFrom('payments as p')
    .select((eb) => [
      'p.id', 'p.currency', 'p.amount_minor', 'p.target_invoice_id', 'p.received_at',
      eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.payment_id', '=', 'p.id').as('allocated'),
      eb.selectFrom('refunds as r').select((e) => e.fn.coalesce(e.fn.sum<number>('r.amount_minor'), e.lit(0)).as('s')).whereRef('r.payment_id', '=', 'p.id').as('refunded'),
    ])
    .where('p.business_id', '=', businessId).where('p.customer_id', '=', customerId)
    .orderBy('p.received_at').orderBy('p.id').execute();
  return rows
    .map((r) => ({ id: r.id, currency: r.currency, targetInvoiceId: r.target_invoice_id, remainderMinor: Number(r.amount_minor) - Number(r.allocated ?? 0) - Number(r.refunded ?? 0) }))
    .filter((r) => r.remainderMinor > 0);
}

const openInvoicesQuery = preparedQuery((db, args: { businessId: string; customerId: string }) => db.selectFrom('invoices as i')
  .select((eb) => [
    'i.id', 'i.number', 'i.status', 'i.currency', 'i.total_minor', 'i.due_date', 'i.created_at',
    eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.invoice_id', '=', 'i.id').as('allocated'),
  ])
  .where('i.business_id', '=', args.businessId).where('i.customer_id', '=', args.customerId)
  .where('i.status', 'in', ['open', 'partially_paid', 'overdue']));

/** The customer's invoices that still expect money, with their derived balances. */
export async function openInvoicesOf(q: Q, businessId: string, customerId: string) {
  const rows = await openInvoicesQuery.all(q, { businessId, customerId });
  return rows.map((r) => ({ id: r.id, number: r.number, status: r.status, currency: r.currency, dueDate: r.due_date, createdAt: r.created_at,
    totalMinor: Number(r.total_minor), balanceMinor: Number(r.total_minor) - Number(r.allocated ?? 0) }));
}

/** A payment named by our id (pay_…) or by the provider's transaction id, within one business. */
export async function paymentByReference(q: Q, businessId: string, reference: string): Promise<PaymentRow> {
  const rows = await q.selectFrom('payments').selectAll().where('business_id', '=', businessId)
    .where((eb) => eb.or([eb('id', '=', reference), eb('provider_ref', '=', reference)])).limit(2).execute();
  if (rows.length === 0) throw notFound('payment');
  if (rows.length > 1) throw new AppError('conflict', `reference ${reference} names payments on several rails; use the payment id`);
  return rows[0]!;
}
