/** A logo given as a URL is fetched once, with a size and time limit, and kept only if it is a JPEG. */
import { BillManagerError } from './wire.js';
import { isJpeg, LOGO_BYTES_MAX } from './opt-in-body.js';

export const LOGO_FETCH_TIMEOUT_MS = 5_000;

export async function fetchLogo(url: string): Promise<Buffer> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(LOGO_FETCH_TIMEOUT_MS) });
  } catch {
    throw new BillManagerError(400, 'logo could not be fetched', [{ field: 'logo', message: 'could not be fetched' }]);
  }
  if (!response.ok || !response.body) throw new BillManagerError(400, `logo URL answered HTTP ${response.status}`, [{ field: 'logo', message: `answered HTTP ${response.status}` }]);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Uint8Array).length;
    if (size > LOGO_BYTES_MAX) throw new BillManagerError(400, 'logo must be at most 1 MB', [{ field: 'logo', message: 'must be at most 1 MB' }]);
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  const bytes = Buffer.concat(chunks);
  if (!isJpeg(bytes)) throw new BillManagerError(400, 'logo must be a JPEG image', [{ field: 'logo', message: 'must be a JPEG image' }]);
  return bytes;
}
