/**
 * A logo given as a URL is fetched once, with a size and time limit, and kept only if it is a
 * JPEG. The URL is the business's choice, so the connection is SSRF-guarded at connect time like
 * a callback's (the form check alone cannot see where DNS will point); redirects are not followed.
 * A one-off fetch has no use for a pooled socket, so it opens its own.
 */
import http from 'node:http';
import https from 'node:https';
import { guardedConnect, privateCallbacksAllowed } from '../../notify/webhook/ssrf.js';
import { BillManagerError } from './wire.js';
import { isJpeg, LOGO_BYTES_MAX } from './opt-in-body.js';

export const LOGO_FETCH_TIMEOUT_MS = 5_000;

const refused = (message: string) => new BillManagerError(400, `logo ${message}`, [{ field: 'logo', message }]);

export function fetchLogo(url: string, allowPrivate = privateCallbacksAllowed()): Promise<Buffer> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(target, { ...guardedConnect(allowPrivate), agent: false, timeout: LOGO_FETCH_TIMEOUT_MS }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        response.resume();
        return reject(refused(`URL answered HTTP ${status}`));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > LOGO_BYTES_MAX) {
          response.destroy();
          reject(refused('must be at most 1 MB'));
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        const bytes = Buffer.concat(chunks);
        if (isJpeg(bytes)) resolve(bytes);
        else reject(refused('must be a JPEG image'));
      });
      response.on('error', () => reject(refused('could not be fetched')));
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error: NodeJS.ErrnoException) => reject(refused(error.code === 'ESSRF' ? 'URL points to a private address' : 'could not be fetched')));
  });
}
