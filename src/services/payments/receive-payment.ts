/**
 * Records money received on a rail, exactly once per provider transaction id, matches it to a
 * payer, and applies it. Unknown payers' money waits in suspense. The same provider id with a
 * different amount is refused: it is either a provider bug or an attack, and a person must look.
 */
import { localDate } from '../../domain/clock.js';
import { AppError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { paymentReceivedEntry } from '../../domain/ledger/entries.js';
import { RAILS } from '../../domain/ledger/chart.js';
import { AMOUNT_MINOR_MAX, parseCurrency } from '../../domain/money.js';
import { insertPrepared, preparedQuery } from '../../storage/prepared-query.js';
import type { PaymentRow } from '../../storage/schema.js';
import { recordAudit } from '../audit.js';
import { businessTimezone } from '../businesses/get-business.js';
import type { Ctx } from '../context.js';
import { findInvoice, lockCustomer } from '../invoices/invoice-queries.js';
import { systemAccountIds } from '../ledger/accounts.js';
import { entryRows, insertEntryRows } from '../ledger/post-entry.js';
import { inGroupedTransaction } from '../group-commit.js';
import { isUniqueViolation, type Tx } from '../tx.js';
import { applyNewPayment, type AppliedAllocation } from './apply-credit.js';
import { matchPayer } from './match-payer.js';
import { runPaymentRecordedHooks } from './payment-events.js';

export interface ReceivePaymentInput {
  rail: string;
  providerRef: string;
  amountMinor: number;
  currency: string;
  receivedAt?: string;
  payerPhone?: string | null;
  payerName?: string | null;
  /** What the payer typed (paybill account number) or the reference the rail carried. */
  accountRef?: string | null;
  /** Set when the rail already knows the invoice (STK push from the pay page, MoMo invoice). */
  invoiceId?: string | null;
  /** The paybill or till the money was paid to. */
  shortcode?: string | null;
  rawPayload?: unknown;
  /** Extra rows to write in the payment's own transaction (the raw callback record), saving a commit. */
  alsoInTransaction?: (trx: Tx, payment: PaymentRow) => Promise<void>;
}

export interface ReceivedPayment {
  payment: PaymentRow;
  duplicate: boolean;
  matched: 'invoice' | 'customer' | 'suspense';
  allocations: AppliedAllocation[];
}

export async function receivePayment(ctx: Ctx, businessId: string, input: ReceivePaymentInput): Promise<ReceivedPayment> {
  if (!RAILS.includes(input.rail)) throw invalid('rail', `unknown rail "${input.rail}"`);
  const providerRef = (input.providerRef ?? '').trim();
  if (!providerRef || providerRef.length > 100) throw invalid('provider_ref', 'must be 1 to 100 characters');
  const currency = parseCurrency(input.currency);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor <= 0 || input.amountMinor > AMOUNT_MINOR_MAX) {
    throw invalid('amount', 'must be a positive amount');
  }
  try {
    // Payments arrive in bursts: on SQLite they share commits (each still atomic on its own).
    return await inGroupedTransaction(ctx, async (trx) => {
      const timezone = await businessTimezone(trx, businessId);
      const existing = await findByProviderRef(trx, businessId, input.rail, providerRef);
      if (existing) return duplicateOf(existing, input.amountMinor, currency);
      return await recordNew(trx, ctx, businessId, timezone, { ...input, providerRef, currency });
    });
  } catch (error) {
    // Two deliveries of one transaction raced: the other one won and wrote it. Answer as a duplicate.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findByProviderRef(ctx.store.db, businessId, input.rail, providerRef);
    if (!existing) throw error;
    return duplicateOf(existing, input.amountMinor, currency);
  }
}

const byProviderRef = preparedQuery((db, args: { businessId: string; rail: string; providerRef: string }) => db.selectFrom('payments').selectAll()
  .where('business_id', '=', args.businessId).where('rail', '=', args.rail).where('provider_ref', '=', args.providerRef));

function findByProviderRef(q: Tx | Ctx['store']['db'], businessId: string, rail: string, providerRef: string) {
  return byProviderRef.first(q, { businessId, rail, providerRef });
}

function duplicateOf(existing: PaymentRow, amountMinor: number, currency: string): ReceivedPayment {
  if (Number(existing.amount_minor) !== amountMinor || existing.currency !== currency) {
    throw new AppError('idempotency_mismatch', `transaction ${existing.provider_ref} was already recorded with a different amount`);
  }
  return { payment: existing, duplicate: true, matched: existing.customer_id ? 'customer' : 'suspense', allocations: [] };
}

async function recordNew(trx: Tx, ctx: Ctx, businessId: string, timezone: string, input: ReceivePaymentInput & { currency: ReturnType<typeof parseCurrency> }): Promise<ReceivedPayment> {
  const now = ctx.clock.now();
  let customerId: string | null = null;
  let targetInvoiceId: string | null = null;
  let matched: ReceivedPayment['matched'] = 'suspense';
  let matchRule: string | null = null;
  if (input.invoiceId) {
    const invoice = await findInvoice(trx, businessId, input.invoiceId);
    customerId = invoice.customer_id;
    targetInvoiceId = invoice.id;
    matched = 'invoice';
    matchRule = 'rail_invoice';
  } else {
    const match = await matchPayer(trx, businessId, input.accountRef, input.payerPhone);
    if (match) {
      customerId = match.customerId;
      targetInvoiceId = match.invoiceId;
      matched = match.invoiceId ? 'invoice' : 'customer';
      matchRule = match.how;
    }
  }
  // Lock the payer before writing anything that names them, in the order every writer uses.
  if (customerId) await lockCustomer(trx, ctx.store.engine, businessId, customerId);
  const payment: PaymentRow = {
    id: newId('pay'), business_id: businessId, rail: input.rail, provider_ref: input.providerRef, currency: input.currency,
    amount_minor: input.amountMinor, customer_id: customerId, target_invoice_id: targetInvoiceId,
    payer_phone: input.payerPhone ?? null, payer_name: input.payerName ?? null, account_ref_raw: input.accountRef ?? null,
    shortcode: input.shortcode ?? null, match_rule: matchRule,
    received_at: input.receivedAt ?? now.toISOString(),
    raw_payload: input.rawPayload === undefined ? null : JSON.stringify(input.rawPayload),
    created_at: now.toISOString(),
  };
  await insertPrepared(trx, 'payments', [payment]);
  const received = entryRows(ctx, businessId, await systemAccountIds(trx, businessId), paymentReceivedEntry({
    id: payment.id, rail: payment.rail, providerRef: payment.provider_ref, currency: input.currency, amountMinor: input.amountMinor, customerId,
  }), now.toISOString());
  await recordAudit(trx, ctx, { businessId, action: 'payment.received', entityType: 'payment', entityId: payment.id,
    data: { rail: payment.rail, provider_ref: payment.provider_ref, amount_minor: payment.amount_minor, currency: payment.currency, matched } });
  // A payer's payment is spent on their open invoices at once, its entry written with theirs.
  let allocations: AppliedAllocation[] = [];
  if (customerId) {
    allocations = await applyNewPayment(trx, ctx, businessId, customerId, localDate(now, timezone),
      { id: payment.id, currency: payment.currency, amountMinor: input.amountMinor, targetInvoiceId }, received);
  } else {
    await insertEntryRows(trx, [received]);
  }
  await runPaymentRecordedHooks(trx, ctx, { payment, matched, allocations });
  if (input.alsoInTransaction) await input.alsoInTransaction(trx, payment);
  return { payment, duplicate: false, matched, allocations };
}
