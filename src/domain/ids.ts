/**
 * Identifiers: a type prefix plus a time-ordered, random part (ULID layout: 48 bits of
 * milliseconds, 80 random bits, Crockford base32), so ids sort by creation time for cursor
 * pagination and can't be guessed. Secrets (tokens) are separate and purely random.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32]! + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(chars: number): string {
  const bytes = randomBytes(chars);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32]!;
  return out;
}

let lastMs = 0;
let lastRandom = '';

/** `inv_01JD...`: monotonic within one process even when many ids share a millisecond. */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  let random: string;
  if (nowMs <= lastMs) {
    nowMs = lastMs;
    random = incrementBase32(lastRandom);
  } else {
    random = encodeRandom(16);
  }
  lastMs = nowMs;
  lastRandom = random;
  return `${prefix}_${encodeTime(nowMs)}${random}`;
}

/** The next value in base32 order: usually only the last character changes, so only the carry is rebuilt. */
function incrementBase32(value: string): string {
  for (let i = value.length - 1; i >= 0; i--) {
    const index = ALPHABET.indexOf(value[i]!);
    if (index < 31) return value.slice(0, i) + ALPHABET[index + 1]! + '0'.repeat(value.length - 1 - i);
  }
  return encodeRandom(16);
}

/** A random secret of `bytes` bytes, URL-safe. */
export function newSecret(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
