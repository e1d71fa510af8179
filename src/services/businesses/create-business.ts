/** A business (tenant): its chart of accounts, its invoice counter and, optionally, its first shortcode. */
import { DEFAULT_TIMEZONE, isTimeZone } from '../../domain/clock.js';
import { AppError, invalid } from '../../domain/errors.js';
import { newId } from '../../domain/ids.js';
import { DEFAULT_CURRENCY, parseCurrency, type Currency } from '../../domain/money.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import { createDefaultChart } from '../ledger/accounts.js';
import { createSequence } from '../sequences.js';
import { inTransaction, isUniqueViolation, type Q } from '../tx.js';

export interface CreateBusinessInput {
  name: string;
  currency?: string;
  timezone?: string;
  country?: string;
  language?: 'en' | 'sw';
  shortcode?: string;
  shortcodeKind?: 'paybill' | 'till';
}

export interface Business {
  id: string;
  name: string;
  currency: Currency;
  timezone: string;
  country: string;
  language: string;
  createdAt: string;
}

export const NAME_MAX = 200;

export function parseShortcode(input: unknown, field = 'shortcode'): string {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  if (!/^\d{5,7}$/.test(text)) throw invalid(field, 'must be a 5 to 7 digit M-PESA shortcode');
  return text;
}

export async function createBusiness(ctx: Ctx, input: CreateBusinessInput): Promise<Business> {
  const name = input.name?.trim() ?? '';
  if (!name) throw invalid('name', 'must not be empty');
  if (name.length > NAME_MAX) throw invalid('name', `must be at most ${NAME_MAX} characters`);
  const currency = input.currency ? parseCurrency(input.currency) : DEFAULT_CURRENCY;
  const timezone = input.timezone ?? DEFAULT_TIMEZONE;
  if (!isTimeZone(timezone)) throw invalid('timezone', `unknown time zone "${timezone}"`);
  const country = (input.country ?? 'KE').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw invalid('country', 'must be an ISO 3166 two-letter code');
  const shortcode = input.shortcode === undefined ? undefined : parseShortcode(input.shortcode);
  const now = ctx.clock.now().toISOString();
  const business: Business = { id: newId('biz'), name, currency, timezone, country, language: input.language ?? 'en', createdAt: now };
  try {
    await inTransaction(ctx, async (trx) => {
      await trx.insertInto('businesses').values({
        id: business.id, name, currency, timezone, country, language: business.language,
        settings_json: '{}', created_at: now, updated_at: now,
      }).execute();
      await createDefaultChart(trx, business.id, now);
      await createSequence(trx, business.id, 'invoice');
      if (shortcode) await insertShortcode(trx, business.id, shortcode, input.shortcodeKind ?? 'paybill', now);
      await recordAudit(trx, ctx, { businessId: business.id, action: 'business.created', entityType: 'business', entityId: business.id, data: { name, currency, shortcode } });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', `shortcode ${shortcode} already belongs to a business`, { field: 'shortcode' });
    throw error;
  }
  return business;
}

export async function insertShortcode(q: Q, businessId: string, shortcode: string, kind: 'paybill' | 'till', createdAt: string): Promise<void> {
  await q.insertInto('shortcodes').values({ id: newId('sc'), business_id: businessId, shortcode, kind, created_at: createdAt }).execute();
}
