/** A provider base URL chosen by configuration (a sandbox, a simulator, a proxy): http(s) only, no trailing slash. */
import { invalid } from './errors.js';

export function parseHttpBaseUrl(input: string, field: string, whenNotUrl = 'must be an http(s) URL'): string {
  let url: URL;
  try { url = new URL(input); } catch { throw invalid(field, whenNotUrl); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(field, 'must be an http(s) URL');
  return url.toString().replace(/\/+$/, '');
}
