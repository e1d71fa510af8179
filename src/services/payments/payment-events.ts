/**
 * Modules that must react to a recorded payment inside its transaction (the Bill Manager face
 * queues its push to the biller, notifications queue a receipt) register here at start-up. A hook
 * only writes rows (outbox messages): it never calls the network.
 */
import type { PaymentRow } from '../../storage/schema.js';
import type { Ctx } from '../context.js';
import type { Tx } from '../tx.js';

export interface PaymentRecorded {
  payment: PaymentRow;
  matched: 'invoice' | 'customer' | 'suspense';
  allocations: ReadonlyArray<{ id: string; invoiceId: string; amountMinor: number }>;
}

export type PaymentRecordedHook = (trx: Tx, ctx: Ctx, event: PaymentRecorded) => Promise<void>;

const hooks = new Map<string, PaymentRecordedHook>();

/** Registering the same name again replaces the hook, so building several apps in one process is safe. */
export function onPaymentRecorded(name: string, hook: PaymentRecordedHook): void {
  hooks.set(name, hook);
}

export async function runPaymentRecordedHooks(trx: Tx, ctx: Ctx, event: PaymentRecorded): Promise<void> {
  for (const hook of hooks.values()) await hook(trx, ctx, event);
}
