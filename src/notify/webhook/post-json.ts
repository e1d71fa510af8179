/**
 * One outbound JSON POST for a callback: bounded time, no redirects followed, SSRF-guarded
 * connect. The outcome says whether another try could help.
 */
import http from 'node:http';
import https from 'node:https';
import type { DeliveryOutcome } from '../../jobs/outbox/complete.js';
import { guardedConnect, privateCallbacksAllowed } from './ssrf.js';

export const CALLBACK_TIMEOUT_MS = 10_000;
const RESPONSE_BYTES_MAX = 64 * 1024;

export function postJson(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs?: number; allowPrivate?: boolean } = {}): Promise<DeliveryOutcome & { status?: number }> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  const allowPrivate = opts.allowPrivate ?? privateCallbacksAllowed();
  return new Promise((resolve) => {
    const request = client.request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'billmanager-webhooks/1', ...headers },
      ...guardedConnect(allowPrivate),
      timeout: opts.timeoutMs ?? CALLBACK_TIMEOUT_MS,
    }, (response) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => { received += chunk.length; if (received > RESPONSE_BYTES_MAX) response.destroy(); });
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ outcome: 'delivered', detail: `HTTP ${status}`, status });
        // A redirect is not followed: the biller must give the final URL.
        else resolve({ outcome: 'retryable', detail: `HTTP ${status}`, status });
      });
      response.on('error', (error) => resolve({ outcome: 'retryable', detail: error.message }));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'ESSRF' ? { outcome: 'failed', detail: error.message } : { outcome: 'retryable', detail: error.message });
    });
    request.end(body);
  });
}
