/**
 * billedPhoneNumber "must be a Safaricom number": 07XXXXXXXX, 01XXXXXXXX, 2547…, +2547…, with or
 * without spaces. Normalised to E.164 (+2547…) for storage and SMS; Daraja's 2547… form is E.164
 * without the plus.
 */
const SAFARICOM_PREFIXES = /^(?:7(?:0\d|1\d|2\d|4[0-356]|4[8]|5[7-9]|6[89]|9\d)|11[0-5])/;

export function normaliseSafaricom(input: unknown): { e164: string } | { error: string } {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.replace(/[\s-]/g, '') : '';
  const match = /^(?:\+?254|0)?(\d{9})$/.exec(text);
  if (!match) return { error: 'must be a Kenyan phone number such as 0712345678 or 254712345678' };
  const subscriber = match[1]!;
  if (!SAFARICOM_PREFIXES.test(subscriber)) return { error: `${text} is not a Safaricom number` };
  return { e164: `+254${subscriber}` };
}
