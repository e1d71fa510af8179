/**
 * What a MoMo payer dials (seed 003): `<MoMoPay short code string>*<paymentReference>*1#`, e.g.
 * MTN Uganda `*165*3*<reference>*1#`. The prefix differs by market and is configuration.
 */
import { invalid } from '../../domain/errors.js';

export const USSD_PREFIX_BY_ENVIRONMENT: Record<string, string> = { mtnuganda: '*165*3', sandbox: '*165*3' };

export function momoUssdString(prefix: string, paymentReference: string): string {
  if (!/^\*[0-9*]+\d$/.test(prefix)) throw invalid('ussd_prefix', 'must look like *165*3');
  if (!/^[A-Za-z0-9]{1,32}$/.test(paymentReference)) throw invalid('paymentReference', 'is not a MoMo payment reference');
  return `${prefix}*${paymentReference}*1#`;
}

export function featurePhoneInstructions(prefix: string, paymentReference: string): string {
  return `Dial ${prefix}#, choose "pay with reference" if asked, and enter ${paymentReference}. Or dial ${momoUssdString(prefix, paymentReference)} directly.`;
}
