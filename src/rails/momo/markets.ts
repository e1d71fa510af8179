/**
 * MTN markets by target environment: the currency each settles in and, where known, the MoMoPay
 * USSD prefix (seed 003 gives Uganda's). Other markets must configure their prefix.
 */
import { MOMO_SANDBOX } from './momo-client.js';

export const MOMO_PRODUCTION = 'https://proxy.momoapi.mtn.com';

export const MOMO_MARKETS: Record<string, { currency: string; ussdPrefix?: string }> = {
  sandbox: { currency: 'EUR', ussdPrefix: '*165*3' },
  mtnuganda: { currency: 'UGX', ussdPrefix: '*165*3' },
  mtnghana: { currency: 'GHS' },
  mtnrwanda: { currency: 'RWF' },
  mtnzambia: { currency: 'ZMW' },
  mtncameroon: { currency: 'XAF' },
  mtnivorycoast: { currency: 'XOF' },
  mtnbenin: { currency: 'XOF' },
  mtncongo: { currency: 'XAF' },
  mtnguineaconakry: { currency: 'GNF' },
  mtnliberia: { currency: 'LRD' },
  mtnswaziland: { currency: 'SZL' },
  mtnsouthsudan: { currency: 'SSP' },
};

export function defaultBaseUrl(environment: string): string {
  return environment === 'sandbox' ? MOMO_SANDBOX : MOMO_PRODUCTION;
}
