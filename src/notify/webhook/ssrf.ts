/**
 * Callback URLs are chosen by businesses, so a push must never reach our own network: private,
 * loopback, link-local and other special addresses are refused, both when the URL is saved and at
 * connect time (DNS may change in between). ALLOW_PRIVATE_CALLBACK_URLS=1 lifts this for
 * development and tests.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { AppError } from '../../domain/errors.js';

export function privateCallbacksAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ALLOW_PRIVATE_CALLBACK_URLS === '1' || env.ALLOW_PRIVATE_CALLBACK_URLS === 'true';
}

export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    if (a === 10 || a === 127 || a === 0 || a >= 224) return false;
    if (a === 169 && b === 254) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    if (a === 192 && b === 0) return false;
    if (a === 198 && (b === 18 || b === 19)) return false;
    return true;
  }
  if (isIP(address) === 6) {
    const lower = address.toLowerCase();
    if (lower === '::1' || lower === '::') return false;
    if (lower.startsWith('fe8') || lower.startsWith('fe9') || lower.startsWith('fea') || lower.startsWith('feb')) return false;
    if (lower.startsWith('fc') || lower.startsWith('fd')) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isPublicAddress(mapped[1]!);
    return true;
  }
  return false;
}

/** Validates a callback URL's form (http or https, a host, no credentials) and, unless allowed, its literal address. */
export function parseCallbackUrl(input: string, field: string, allowPrivate = privateCallbacksAllowed()): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new AppError('validation_failed', `${field}: "${input}" is not a URL`, { field });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AppError('validation_failed', `${field}: must be an http or https URL`, { field });
  if (url.username || url.password) throw new AppError('validation_failed', `${field}: must not carry credentials`, { field });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && !isPublicAddress(host)))) {
    throw new AppError('validation_failed', `${field}: private, loopback and link-local addresses are not allowed`, { field });
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup for http.request that refuses non-public answers: the check happens at connect time. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => !allowPrivate && !isPublicAddress(a.address));
      if (bad) return callback(Object.assign(new Error(`refusing to connect to non-public address ${bad.address}`), { code: 'ESSRF' }), []);
      const wantsAll = (options as { all?: boolean }).all;
      if (wantsAll) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/** Request options that make http(s).request check each address it connects to. */
export function guardedConnect(allowPrivate: boolean): { lookup: typeof import('node:dns').lookup } {
  return { lookup: guardedLookup(allowPrivate) as unknown as typeof import('node:dns').lookup };
}
