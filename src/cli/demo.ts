/**
 * `npm start` on a fresh clone: a demo business with paybill 600000, an open invoice, the Daraja
 * simulator on the next port with our C2B URLs registered, and the commands to watch the invoice
 * get paid end to end; and a school in Uganda whose invoice is paid by MTN MoMo through the MoMo
 * simulator. Nothing here talks to Safaricom or MTN.
 */
import { randomBytes, randomUUID } from 'node:crypto';
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
import { MomoSimulator } from '../rails/momo/momo-simulator.js';
import { ensureMomoInvoice } from '../services/momo/momo-invoices.js';
import { momoPresentation } from '../services/momo/momo-presentation.js';
import { putMomoSettings } from '../services/momo/momo-settings.js';

export const DEMO_SHORTCODE = '600000';

/** A second demo business in Uganda, paid by MTN MoMo through the bundled simulator. */
async function startMomoDemo(ctx: Ctx, keys: KeyRing, config: Config) {
  let school = await ctx.store.db.selectFrom('businesses').select(['id', 'name', 'timezone']).where('name', '=', 'Demo School').executeTakeFirst();
  if (!school) school = await createBusiness(ctx, { name: 'Demo School', currency: 'UGX', country: 'UG', timezone: 'Africa/Kampala' });
  const { token } = await createApiToken(ctx, { businessId: school.id, role: 'admin', name: 'demo admin' });
  const credentials = { subscriptionKey: randomBytes(16).toString('hex'), apiUser: randomUUID(), apiKey: randomBytes(16).toString('hex') };
  const simulator = new MomoSimulator(credentials, Date.now, config.port === 0 ? 0 : config.port + 2);
  const simUrl = await simulator.start();
  await putMomoSettings(ctx, keys, school.id, { ...credentials, environment: 'mtnuganda', baseUrl: simUrl }, config.publicUrl);
  const invoice = (await createInvoice(ctx, school.id, {
    customer: { accountRef: 'P-0042', name: 'Okello Brian', phone: '+256772123456' }, name: 'School fees', currency: 'UGX', dueDate: addDays(localDate(ctx.clock.now(), 'Africa/Kampala'), 14),
    items: [{ name: 'Term 1 fees', quantity: 1, unitPriceMinor: 450_000, taxRateBps: 0 }],
  })).invoice;
  const momo = await ensureMomoInvoice(ctx, keys, school.id, invoice.id, config.publicUrl);
  const shown = await momoPresentation(ctx.store.db, invoice.id, ctx.clock.now());
  return { token, simUrl, publicToken: invoice.public_token, paymentReference: momo?.payment_reference ?? '', ussd: shown?.ussd ?? '', stop: () => simulator.stop() };
}

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
  const momo = await startMomoDemo(ctx, keys, config);
  log.info([
    'MTN MoMo demo (Demo School, Kampala, UGX; the MoMo simulator stands in for MTN):',
    `  admin token (this run):   ${momo.token}`,
    `  the invoice page:         ${config.publicUrl}/i/${momo.publicToken} (USSD string ${momo.ussd} and its QR code)`,
    `  pay it from "MoMo":       curl -s -X POST ${momo.simUrl}/simulator/momo/pay -H 'content-type: application/json' -d '{"paymentReference":"${momo.paymentReference}","callback":"PUT"}'`,
    '  (use "callback":"none" to drop the callback: the poll job finds the payment within seconds)',
  ].join('\n'));
  return { stop: async () => { await simulator.stop(); await momo.stop(); } };
}
