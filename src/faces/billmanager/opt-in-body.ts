/** Opt-in and change-opt-in bodies: every field of seed 000, in every spelling clients use. */
import { AppError } from '../../domain/errors.js';
import { parseEmail } from '../../domain/email.js';
import { parseCallbackUrl } from '../../notify/webhook/ssrf.js';
import type { OptInDetails } from '../../services/billmanager/opt-in.js';
import { fieldsOf, badRequest, type FieldError } from './wire.js';

export const LOGO_BYTES_MAX = 1024 * 1024;


export function isJpeg(bytes: Buffer): boolean {
  return bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** A logo given inline (base64 or a data: URL); a logo URL is fetched separately, outside any transaction. */
export function inlineLogo(value: string): Buffer | null {
  const data = /^data:image\/jpe?g;base64,(.*)$/i.exec(value);
  const b64 = data ? data[1]! : value;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(b64)) return null;
  return Buffer.from(b64, 'base64');
}

export interface ParsedOptIn extends Omit<OptInDetails, 'logoJpeg'> {
  logo: { kind: 'none' } | { kind: 'inline'; bytes: Buffer } | { kind: 'url'; url: string } | { kind: 'unchanged' };
}

export function parseOptInBody(body: unknown): ParsedOptIn {
  const get = fieldsOf(body);
  const errors: FieldError[] = [];
  const shortcodeRaw = get('shortcode');
  const shortcode = typeof shortcodeRaw === 'number' ? String(shortcodeRaw) : typeof shortcodeRaw === 'string' ? shortcodeRaw.trim() : '';
  if (!/^\d{5,6}$/.test(shortcode)) errors.push({ field: 'shortcode', message: shortcodeRaw === undefined ? 'is required' : 'must be a 5 to 6 digit shortcode' });
  const email = get('email');
  try { parseEmail(email); } catch { errors.push({ field: 'email', message: email === undefined ? 'is required' : 'must be an email address' }); }
  const contactRaw = get('officialContact');
  const officialContact = typeof contactRaw === 'number' ? `0${contactRaw}` : typeof contactRaw === 'string' ? contactRaw.replace(/\s/g, '') : '';
  if (!/^(?:\+?254|0)\d{9}$/.test(officialContact)) errors.push({ field: 'officialContact', message: contactRaw === undefined ? 'is required' : 'must be a phone number such as 0710000000' });
  const remindersRaw = get('sendReminders');
  const reminders = remindersRaw === true || remindersRaw === 1 || remindersRaw === '1' ? true : remindersRaw === false || remindersRaw === 0 || remindersRaw === '0' ? false : null;
  if (reminders === null) errors.push({ field: 'sendReminders', message: remindersRaw === undefined ? 'is required' : 'must be 0 or 1' });
  const callbackRaw = get('callbackurl');
  let callbackUrl = '';
  if (typeof callbackRaw !== 'string' || !callbackRaw.trim()) errors.push({ field: 'callbackurl', message: 'is required' });
  else {
    try {
      callbackUrl = parseCallbackUrl(callbackRaw.trim(), 'callbackurl').toString();
    } catch (error) {
      errors.push({ field: 'callbackurl', message: error instanceof AppError ? error.message.replace(/^callbackurl: /, '') : 'is invalid' });
    }
  }
  const logoRaw = get('logo');
  let logo: ParsedOptIn['logo'] = { kind: 'unchanged' };
  if (logoRaw === '' || logoRaw === null) logo = { kind: 'none' };
  else if (typeof logoRaw === 'string') {
    if (/^https?:\/\//i.test(logoRaw.trim())) {
      try {
        logo = { kind: 'url', url: parseCallbackUrl(logoRaw.trim(), 'logo').toString() };
      } catch (error) {
        errors.push({ field: 'logo', message: error instanceof AppError ? error.message.replace(/^logo: /, '') : 'is invalid' });
      }
    } else {
      const bytes = inlineLogo(logoRaw.trim());
      if (!bytes || !isJpeg(bytes)) errors.push({ field: 'logo', message: 'must be a JPEG image (base64) or a URL of one' });
      else if (bytes.length > LOGO_BYTES_MAX) errors.push({ field: 'logo', message: 'must be at most 1 MB' });
      else logo = { kind: 'inline', bytes };
    }
  } else if (logoRaw !== undefined) errors.push({ field: 'logo', message: 'must be a JPEG image (base64) or a URL of one' });
  if (errors.length) throw badRequest(errors);
  return { shortcode, email: (email as string).trim(), officialContact, sendReminders: reminders!, callbackUrl, logo };
}
