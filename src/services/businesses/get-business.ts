import { notFound } from '../../domain/errors.js';
import { parseCurrency } from '../../domain/money.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import type { Q } from '../tx.js';
import type { Business } from './create-business.js';

export async function getBusiness(q: Q, businessId: string): Promise<Business> {
  const row = await q.selectFrom('businesses').selectAll().where('id', '=', businessId).executeTakeFirst();
  if (!row) throw notFound('business');
  return {
    id: row.id, name: row.name, currency: parseCurrency(row.currency), timezone: row.timezone,
    country: row.country, language: row.language, createdAt: row.created_at,
  };
}

const timezoneQuery = preparedQuery((db, args: { businessId: string }) => db.selectFrom('businesses').select('timezone').where('id', '=', args.businessId));

/** Only the time zone, for the hot paths that need today's date in the business's calendar. */
export async function businessTimezone(q: Q, businessId: string): Promise<string> {
  const row = await timezoneQuery.first(q, { businessId });
  if (!row) throw notFound('business');
  return row.timezone;
}

export async function businessByShortcode(q: Q, shortcode: string): Promise<{ businessId: string; kind: string } | undefined> {
  const row = await q.selectFrom('shortcodes').select(['business_id', 'kind']).where('shortcode', '=', shortcode).executeTakeFirst();
  return row ? { businessId: row.business_id, kind: row.kind } : undefined;
}
