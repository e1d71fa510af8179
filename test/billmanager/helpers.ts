/** A Bill Manager client as a business's integration would be: token, then Bearer calls, on our server. */
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../src/services/auth/apps.js';
import { createBusiness } from '../../src/services/businesses/create-business.js';
import type { Ctx } from '../../src/services/context.js';

let shortcodeCounter = 600_100;

export async function billerWithApp(ctx: Ctx) {
  shortcodeCounter += 1;
  const shortcode = String(shortcodeCounter);
  const business = await createBusiness(ctx, { name: `Biller ${shortcode}`, shortcode });
  const app = await createApp(ctx, { businessId: business.id });
  return { business, shortcode, consumerKey: app.consumerKey, consumerSecret: app.consumerSecret };
}

export async function tokenFor(server: FastifyInstance, key: string, secret: string): Promise<string> {
  const res = await server.inject({ url: '/oauth/v1/generate?grant_type=client_credentials', headers: { authorization: `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}` } });
  if (res.statusCode !== 200) throw new Error(`token: ${res.statusCode} ${res.body}`);
  return res.json().access_token as string;
}

export function bm(server: FastifyInstance, token: string) {
  return (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    server.inject({ method: 'POST', url: `/v1/billmanager-invoice/${path}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload: JSON.stringify(payload) });
}

export const optInBody = (shortcode: string, callbackUrl: string) => ({
  shortcode, email: 'billing@example.co.ke', officialContact: '0710000000', sendReminders: '1', logo: '', callbackUrl,
});

export const invoice = (externalReference: string, overrides: Record<string, unknown> = {}) => ({
  externalReference, billedFullName: 'John Doe', billedPhoneNumber: '0722000000', billedPeriod: 'August 2021',
  invoiceName: 'Jentrys', dueDate: '2026-04-30 00:00:00.00', accountReference: `ACC-${externalReference}`, amount: '800',
  invoiceItems: [{ itemName: 'food', amount: '700' }, { itemName: 'water', amount: '100' }],
  ...overrides,
});
