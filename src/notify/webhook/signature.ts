/**
 * Standard Webhooks signatures (webhook-id, webhook-timestamp, webhook-signature), so a biller can
 * check that a push came from us and was not replayed: v1 = base64(HMAC-SHA256(key, id.ts.body)),
 * with the key the base64 part of a `whsec_…` secret.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function signWebhook(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestampS}.${body}`).digest('base64')}`;
}

export function webhookHeaders(secret: string, id: string, timestampS: number, body: string): Record<string, string> {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampS), 'webhook-signature': signWebhook(secret, id, timestampS, body) };
}

/** What a receiver does; used by our tests and documented for billers. Tolerance guards against replays. */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, nowS: number, toleranceS = 300): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const ts = Number(headers['webhook-timestamp']);
  const given = String(headers['webhook-signature'] ?? '');
  if (!id || !Number.isInteger(ts) || Math.abs(nowS - ts) > toleranceS) return false;
  const expected = Buffer.from(signWebhook(secret, id, ts, body));
  return given.split(' ').some((candidate) => {
    const buffer = Buffer.from(candidate);
    return buffer.length === expected.length && timingSafeEqual(buffer, expected);
  });
}
