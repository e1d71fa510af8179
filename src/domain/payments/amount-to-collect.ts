/** What a payer is asked for at checkout: the balance by default, or a part of it given in major units, never more. */
import { invalid } from '../errors.js';
import { formatMajor, parseMajor, type Currency } from '../money.js';

export function amountToCollect(input: unknown, balanceMinor: number, currency: Currency): number {
  const amountMinor = input === undefined ? balanceMinor : parseMajor(input, currency, { field: 'amount', allowZero: false });
  if (amountMinor > balanceMinor) throw invalid('amount', `must not exceed the balance (${formatMajor(balanceMinor, currency)})`);
  return amountMinor;
}
