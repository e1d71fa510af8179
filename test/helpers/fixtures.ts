/** Small builders for tests: a business, an invoice with one or more items, a payment. */
import { createBusiness } from '../../src/services/businesses/create-business.js';
import type { Ctx } from '../../src/services/context.js';
import { createInvoice, type CreateInvoiceInput } from '../../src/services/invoices/create-invoices.js';
import { receivePayment, type ReceivePaymentInput } from '../../src/services/payments/receive-payment.js';

let counter = 0;

export async function aBusiness(ctx: Ctx, overrides: { currency?: string; shortcode?: string } = {}) {
  counter += 1;
  return createBusiness(ctx, { name: `Test Business ${counter}`, ...overrides });
}

export function invoiceInput(overrides: Partial<CreateInvoiceInput> & { accountRef?: string; amountsMinor?: number[] } = {}): CreateInvoiceInput {
  const { accountRef = 'A1', amountsMinor = [80_000], ...rest } = overrides;
  return {
    customer: { accountRef, name: 'John Doe', phone: '+254712345678' },
    name: 'School fees',
    dueDate: '2026-03-31',
    items: amountsMinor.map((amountMinor, i) => ({ name: `item ${i + 1}`, quantity: 1, unitPriceMinor: amountMinor, taxRateBps: 0 })),
    ...rest,
  };
}

export async function anInvoice(ctx: Ctx, businessId: string, overrides: Parameters<typeof invoiceInput>[0] = {}) {
  return createInvoice(ctx, businessId, invoiceInput(overrides));
}

let transaction = 0;

export async function aPayment(ctx: Ctx, businessId: string, input: Partial<ReceivePaymentInput> & { amountMinor: number }) {
  transaction += 1;
  return receivePayment(ctx, businessId, {
    rail: 'mpesa_c2b', providerRef: `TX${String(transaction).padStart(8, '0')}`, currency: 'KES', ...input,
  });
}
