import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoiceIssuedEntry, paymentReceivedEntry } from '../../src/domain/ledger/entries.js';
import { buildEntry, credit, debit, reversalOf } from '../../src/domain/ledger/journal.js';
import { statusFor, assertCanCancel } from '../../src/domain/invoices/status.js';
import { planAllocations } from '../../src/domain/payments/allocation-plan.js';
import { AppError } from '../../src/domain/errors.js';

test('an entry that does not balance is refused as a bug, not stored', () => {
  assert.throws(() => buildEntry({ kind: 'allocation', currency: 'KES', memo: 'x', lines: [debit('cash', 100), credit('sales', 99)] }), /does not balance/);
  assert.throws(() => buildEntry({ kind: 'allocation', currency: 'KES', memo: 'x', lines: [debit('cash', -5), credit('sales', -5)] }), /never negative/);
});

test('issuing drops the zero VAT line, and a reversal swaps every side', () => {
  const issued = invoiceIssuedEntry({ id: 'inv_1', number: 'INV-1', customerId: 'cus_1', currency: 'KES', subtotalMinor: 500, taxMinor: 0, totalMinor: 500 });
  assert.deepEqual(issued.lines.map((l) => l.account), ['accounts_receivable', 'sales']);
  const reversed = reversalOf(issued, 'invoice_cancelled', 'cancel', 'je_1');
  assert.deepEqual(reversed.lines.map((l) => [l.account, l.debitMinor, l.creditMinor]), [['accounts_receivable', 0, 500], ['sales', 500, 0]]);
});

test('money from an unknown payer goes to suspense, from a known one to their credit', () => {
  const unknown = paymentReceivedEntry({ id: 'p', rail: 'mpesa_c2b', providerRef: 'X', currency: 'KES', amountMinor: 10, customerId: null });
  assert.deepEqual(unknown.lines.map((l) => l.account), ['mpesa_clearing', 'suspense']);
  const known = paymentReceivedEntry({ id: 'p', rail: 'cash', providerRef: 'X', currency: 'KES', amountMinor: 10, customerId: 'cus_1' });
  assert.deepEqual(known.lines.map((l) => [l.account, l.customerId]), [['cash', null], ['customer_credit', 'cus_1']]);
});

test('status follows the balance and the date; paid or part-paid invoices cannot be cancelled', () => {
  assert.equal(statusFor(100, 0, '2026-03-31', '2026-03-31'), 'open');
  assert.equal(statusFor(100, 40, '2026-03-31', '2026-03-01'), 'partially_paid');
  assert.equal(statusFor(100, 40, '2026-03-31', '2026-04-01'), 'overdue');
  assert.equal(statusFor(100, 100, '2026-03-31', '2026-04-01'), 'paid');
  assert.throws(() => assertCanCancel('partially_paid', 40), (e: unknown) => e instanceof AppError && e.status === 409);
  assert.doesNotThrow(() => assertCanCancel('overdue', 0));
});

test('credit goes to the named invoice first, then the oldest due, never beyond a balance', () => {
  const invoices = [
    { id: 'b', dueDate: '2026-02-01', createdAt: '1', balanceMinor: 300 },
    { id: 'a', dueDate: '2026-01-01', createdAt: '1', balanceMinor: 200 },
    { id: 'c', dueDate: '2026-03-01', createdAt: '1', balanceMinor: 100 },
  ];
  assert.deepEqual(planAllocations(450, invoices), [{ invoiceId: 'a', amountMinor: 200 }, { invoiceId: 'b', amountMinor: 250 }]);
  assert.deepEqual(planAllocations(150, invoices, 'c'), [{ invoiceId: 'c', amountMinor: 100 }, { invoiceId: 'a', amountMinor: 50 }]);
  assert.deepEqual(planAllocations(10_000, invoices).reduce((s, p) => s + p.amountMinor, 0), 600);
});
