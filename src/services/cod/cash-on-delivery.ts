/**
 * Cash on delivery. Creating one gives the customer a short verification code (only its hash is
 * kept). The agent collects the cash (recorded: who, which agent, notes); verifying with the code
 * records the payment into "cash held by delivery agents" and applies it to the invoice. Five
 * wrong codes lock the transaction.
 */
import { createHash, randomInt } from 'node:crypto';
import { AppError, invalid, invalidState, notFound } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { assertCanAllocate, type InvoiceStatus } from '../../domain/invoices/status.js';
import { formatMoney, parseCurrency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { balanceOf, findInvoice } from '../invoices/invoice-queries.js';
import { receivePayment } from '../payments/receive-payment.js';
import { forUpdate } from '../tx.js';

export const WRONG_CODES_MAX = 5;
const hashCode = (codId: string, code: string): string => createHash('sha256').update(`${codId}:${code}`).digest('hex');

export async function createCod(ctx: Ctx, businessId: string, invoiceId: string): Promise<{ codId: string; code: string; amountMinor: number }> {
  const invoice = await findInvoice(ctx.store.db, businessId, invoiceId);
  assertCanAllocate(invoice.status as InvoiceStatus);
  const amountMinor = await balanceOf(ctx.store.db, invoice);
  const codId = newId('cod');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    await trx.insertInto('cod_transactions').values({ id: codId, business_id: businessId, invoice_id: invoice.id, amount_minor: amountMinor, code_hash: hashCode(codId, code),
      status: 'awaiting_delivery', failed_attempts: 0, collector: null, agent_id: null, notes: null, payment_id: null, created_at: now, updated_at: now }).execute();
    await recordAudit(trx, ctx, { businessId, action: 'cod.created', entityType: 'invoice', entityId: invoice.id, data: { cod_id: codId, amount_minor: amountMinor } });
  });
  return { codId, code, amountMinor };
}

export async function codInstructions(ctx: Ctx, codId: string) {
  const cod = await ctx.store.db.selectFrom('cod_transactions').innerJoin('invoices', 'invoices.id', 'cod_transactions.invoice_id')
    .select(['cod_transactions.status', 'cod_transactions.amount_minor', 'invoices.number', 'invoices.currency']).where('cod_transactions.id', '=', codId).executeTakeFirst();
  if (!cod) throw notFound('cash-on-delivery transaction');
  const amount = formatMoney(Number(cod.amount_minor), parseCurrency(cod.currency));
  return { cod_id: codId, status: cod.status, amount, invoice_number: cod.number,
    instructions: `Pay ${amount} in cash to the delivery agent, then give them the 6-digit verification code you received. Never share the code before you have the goods.` };
}

export async function collectCod(ctx: Ctx, businessId: string, codId: string, by: { collector: string; agentId?: string | null; notes?: string | null }): Promise<void> {
  if (!by.collector?.trim()) throw invalid('collector', 'is required');
  await ctx.store.db.transaction().execute(async (trx) => {
    const cod = await forUpdate(ctx.store.engine, trx.selectFrom('cod_transactions').selectAll().where('business_id', '=', businessId).where('id', '=', codId)).executeTakeFirst();
    if (!cod) throw notFound('cash-on-delivery transaction');
    if (cod.status !== 'awaiting_delivery') throw invalidState(`this delivery is ${cod.status}`);
    await trx.updateTable('cod_transactions').set({ status: 'collected', collector: by.collector.trim(), agent_id: by.agentId ?? null, notes: by.notes ?? null, updated_at: ctx.clock.now().toISOString() }).where('id', '=', codId).execute();
    await recordAudit(trx, ctx, { businessId, action: 'cod.collected', entityType: 'invoice', entityId: cod.invoice_id, data: { cod_id: codId, collector: by.collector, agent_id: by.agentId ?? null } });
  });
}

export async function verifyCod(ctx: Ctx, businessId: string, codId: string, code: string): Promise<{ paymentId: string }> {
  const cod = await ctx.store.db.selectFrom('cod_transactions').selectAll().where('business_id', '=', businessId).where('id', '=', codId).executeTakeFirst();
  if (!cod) throw notFound('cash-on-delivery transaction');
  if (cod.status === 'locked') throw invalidState(`locked after ${WRONG_CODES_MAX} wrong codes`);
  if (cod.status === 'verified') return { paymentId: cod.payment_id! };
  if (cod.status !== 'collected') throw invalidState('collect the cash before verifying');
  if (hashCode(codId, String(code).trim()) !== cod.code_hash) {
    const attempts = cod.failed_attempts + 1;
    await ctx.store.db.updateTable('cod_transactions').set({ failed_attempts: attempts, status: attempts >= WRONG_CODES_MAX ? 'locked' : 'collected', updated_at: ctx.clock.now().toISOString() })
      .where('id', '=', codId).where('status', '=', 'collected').execute();
    throw new AppError('validation_failed', attempts >= WRONG_CODES_MAX ? 'wrong verification code; the transaction is now locked' : `wrong verification code (${WRONG_CODES_MAX - attempts} tries left)`, { field: 'code' });
  }
  // The COD id is the payment's reference on the cod rail: verifying twice records it once.
  const received = await receivePayment(ctx, businessId, { rail: 'cod', providerRef: codId, amountMinor: Number(cod.amount_minor), currency: (await findInvoice(ctx.store.db, businessId, cod.invoice_id)).currency,
    invoiceId: cod.invoice_id, payerName: cod.collector, rawPayload: { cod_id: codId, agent_id: cod.agent_id, collector: cod.collector } });
  await ctx.store.db.updateTable('cod_transactions').set({ status: 'verified', payment_id: received.payment.id, updated_at: ctx.clock.now().toISOString() }).where('id', '=', codId).execute();
  return { paymentId: received.payment.id };
}
