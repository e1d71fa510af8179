/**
 * `npm start` on a fresh clone: a demo business with paybill 600000, an open invoice, the Daraja
 * simulator on the next port with our C2B URLs registered, and the commands to watch the invoice
 * get paid end to end. Nothing here talks to Safaricom.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { localDate, addDays } from '../domain/clock.js';
import { DarajaSimulator } from '../rails/mpesa/daraja-simulator.js';
import type { KeyRing } from '../security/secret-box.js';
import { createApiToken } from '../services/auth/api-tokens.js';
import { createApp } from '../services/auth/apps.js';
import { createBusiness } from '../services/businesses/create-business.js';
import type { Ctx } from '../services/context.js';
import { createInvoice } from '../services/invoices/create-invoices.js';
import { invoiceMessages } from '../services/invoices/invoice-messages.js';
import { enqueueMessages } from '../jobs/outbox/enqueue.js';
import { putMpesaSettings } from '../services/mpesa/mpesa-settings.js';
import { registerC2bUrls } from '../services/mpesa/register-urls.js';

export const DEMO_SHORTCODE = '600000';

export async function startDemo(ctx: Ctx, keys: KeyRing, config: Config, log: FastifyBaseLogger): Promise<{ stop(): Promise<void> }> {
  let business = await ctx.store.db.selectFrom('businesses').select(['id', 'name', 'timezone']).where('name', '=', 'Demo Business').executeTakeFirst();
  if (!business) business = await createBusiness(ctx, { name: 'Demo Business', shortcode: DEMO_SHORTCODE, currency: 'KES' });
  const { token } = await createApiToken(ctx, { businessId: business.id, role: 'admin', name: 'demo admin' });
  const app = await createApp(ctx, { businessId: business.id, name: 'demo Bill Manager app' });

  const simApp = { consumerKey: `demo${randomBytes(8).toString('hex')}`, consumerSecret: randomBytes(16).toString('hex') };
  const passkey = randomBytes(32).toString('hex');
  const simulator = new DarajaSimulator({ apps: [simApp], passkeys: { [DEMO_SHORTCODE]: passkey }, port: config.port === 0 ? 0 : config.port + 1 });
  const simUrl = await simulator.start();
  await putMpesaSettings(ctx, keys, business.id, { shortcode: DEMO_SHORTCODE, shortcodeType: 'paybill', consumerKey: simApp.consumerKey, consumerSecret: simApp.consumerSecret, passkey, environment: simUrl });
  await registerC2bUrls(ctx, keys, business.id, config.publicUrl);

  const open = await ctx.store.db.selectFrom('invoices').select(['id', 'number', 'public_token']).where('business_id', '=', business.id).where('status', '=', 'open').executeTakeFirst();
  const messageContext = { businessName: business.name, timezone: 'Africa/Nairobi', language: 'en', paybill: DEMO_SHORTCODE, publicUrl: config.publicUrl, remindersOn: true };
  const invoice = open ?? (await createInvoice(ctx, business.id, {
    customer: { accountRef: 'G70', name: 'Joan Doe', phone: '+254712345678' }, name: 'Rent', dueDate: addDays(localDate(ctx.clock.now(), 'Africa/Nairobi'), 14),
    items: [{ name: 'Rent, unit G70', quantity: 1, unitPriceMinor: 1_200_000, taxRateBps: 0 }],
  }, { afterWrite: (trx, [c]) => enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), c!.invoice, c!.customer, messageContext)) })).invoice;

  log.info([
    'demo ready:',
    `  admin token (this run):   ${token}`,
    `  Bill Manager app:         consumer key ${app.consumerKey}, secret ${app.consumerSecret}`,
    `  Daraja simulator:         ${simUrl} (paybill ${DEMO_SHORTCODE}, our C2B URLs registered)`,
    `  see the open invoice:     curl -s ${config.publicUrl}/api/admin/invoices/${invoice.id} -H 'authorization: Bearer ${token}'`,
    `  pay it from "M-PESA":     curl -s -X POST ${simUrl}/simulator/c2b/pay -H 'content-type: application/json' -d '{"shortcode":"${DEMO_SHORTCODE}","accountReference":"g-70","amountMinor":1200000}'`,
    `  then the ledger:          curl -s ${config.publicUrl}/api/admin/ledger/trial-balance -H 'authorization: Bearer ${token}'`,
    `  (invoice ${invoice.number} for account G70; its page: ${config.publicUrl}/i/${invoice.public_token} — the SMS it queued shows in this log)`,
  ].join('\n'));
  return { stop: () => simulator.stop() };
}
