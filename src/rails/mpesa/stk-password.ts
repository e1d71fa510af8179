/** STK push credentials: Timestamp is Nairobi wall-clock YYYYMMDDHHmmss; Password = base64(shortcode + passkey + timestamp). */
import { localParts } from '../../domain/clock.js';

export function darajaTimestamp(instant: Date): string {
  const p = localParts(instant, 'Africa/Nairobi');
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${p.date.replace(/-/g, '')}${two(p.hour)}${two(p.minute)}${two(p.second)}`;
}

export function stkPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`).toString('base64');
}
