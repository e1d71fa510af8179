import { notFound } from '../../domain/errors.js';
import { parseCurrency } from '../../domain/money.js';
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

export async function businessByShortcode(q: Q, shortcode: string): Promise<{ businessId: string; kind: string } | undefined> {
  const row = await q.selectFrom('shortcodes').select(['business_id', 'kind']).where('shortcode', '=', shortcode).executeTakeFirst();
  return row ? { businessId: row.business_id, kind: row.kind } : undefined;
}
