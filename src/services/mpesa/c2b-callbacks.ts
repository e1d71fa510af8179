/**
 * C2B validation and confirmation from Daraja. The business is found by the secret in the URL
 * path; the shortcode in the body must be that business's. Confirmation goes through the
 * reconciliation engine (receivePayment) keyed by TransID, so Daraja's retries and duplicates
 * are recorded once. Whatever happens, the raw body is kept and Daraja gets the body it expects.
 */
import { AppError } from '../../domain/errors.js';
import { parseC2B, type ParsedC2B } from '../../rails/mpesa/daraja-wire.js';
import { preparedQuery } from '../../storage/prepared-query.js';
import type { Ctx } from '../context.js';
import { matchPayer } from '../payments/match-payer.js';
import { receivePayment } from '../payments/receive-payment.js';
import { recordCallback } from './record-callback.js';
import { hashPathSecret } from './register-urls.js';

export const VALIDATION_ACCEPT = { ResultCode: '0', ResultDesc: 'Accepted' } as const;
export const CONFIRMATION_ACK = { ResultCode: 0, ResultDesc: 'Success' } as const;

/** A URL secret, or for seed 002's fixed paths the shortcode in the body, names the business. */
export type CallbackKey = { secret: string } | { shortcodeFromBody: true };

const bySecretHash = preparedQuery((db, args: { hash: string }) => db.selectFrom('mpesa_settings')
  .select(['business_id', 'shortcode', 'allowed_ips_json', 'reject_unknown_accounts']).where('callback_secret_hash', '=', args.hash));

async function settingsFor(ctx: Ctx, key: CallbackKey, body: unknown) {
  if ('secret' in key) return bySecretHash.first(ctx.store.db, { hash: hashPathSecret(key.secret) });
  const shortcode = String((body as { BusinessShortCode?: unknown } | null)?.BusinessShortCode ?? '');
  const settings = await ctx.store.db.selectFrom('mpesa_settings').selectAll().where('shortcode', '=', shortcode).executeTakeFirst();
  // Without a secret in the URL, only an allow-list of Safaricom's addresses makes a call trustworthy.
  return settings && (JSON.parse(settings.allowed_ips_json) as string[]).length > 0 ? settings : undefined;
}

function ipAllowed(allowedJson: string, ip: string | null): boolean {
  const allowed = JSON.parse(allowedJson) as string[];
  return allowed.length === 0 || (ip !== null && allowed.includes(ip.replace(/^::ffff:/, '')));
}

type Checked = { ok: true; businessId: string; rejectUnknown: boolean; payment: ParsedC2B } | { ok: false; outcome: string; businessId: string | null };

async function check(ctx: Ctx, key: CallbackKey, body: unknown, remoteIp: string | null): Promise<Checked> {
  const settings = await settingsFor(ctx, key, body);
  if (!settings) return { ok: false, outcome: 'secret' in key ? 'unknown path secret' : 'unverifiable: no secret in the URL and no IP allow-list', businessId: null };
  if (!ipAllowed(settings.allowed_ips_json, remoteIp)) return { ok: false, outcome: `source ${remoteIp} not allowed`, businessId: settings.business_id };
  let payment: ParsedC2B;
  try {
    payment = parseC2B(body);
  } catch (error) {
    return { ok: false, outcome: `malformed: ${error instanceof Error ? error.message : String(error)}`, businessId: settings.business_id };
  }
  if (payment.shortcode !== settings.shortcode) return { ok: false, outcome: `shortcode ${payment.shortcode} is not this business's`, businessId: settings.business_id };
  return { ok: true, businessId: settings.business_id, rejectUnknown: settings.reject_unknown_accounts === 1, payment };
}

/** Validation must answer within Daraja's ~8 s: one indexed lookup, no network. */
export async function handleC2bValidation(ctx: Ctx, key: CallbackKey, body: unknown, remoteIp: string | null): Promise<{ ResultCode: string; ResultDesc: string }> {
  const checked = await check(ctx, key, body, remoteIp);
  let reply: { ResultCode: string; ResultDesc: string } = VALIDATION_ACCEPT;
  if (!checked.ok) reply = { ResultCode: checked.outcome.startsWith('shortcode') ? 'C2B00015' : 'C2B00016', ResultDesc: 'Rejected' };
  else if (checked.rejectUnknown && !(await matchPayer(ctx.store.db, checked.businessId, checked.payment.billRef))) reply = { ResultCode: 'C2B00012', ResultDesc: 'Rejected' };
  await recordCallback(ctx.store.db, ctx.clock.now(), { businessId: checked.businessId, kind: 'c2b_validation', outcome: checked.ok ? `answered ${reply.ResultCode}` : checked.outcome, remoteIp, body });
  return reply;
}

export async function handleC2bConfirmation(ctx: Ctx, key: CallbackKey, body: unknown, remoteIp: string | null): Promise<{ recorded: boolean; outcome: string }> {
  const checked = await check(ctx, key, body, remoteIp);
  let outcome: string;
  let keptWithPayment = false;
  if (!checked.ok) outcome = checked.outcome;
  else {
    try {
      const p = checked.payment;
      const result = await receivePayment({ ...ctx, actor: { type: 'provider', id: 'daraja', requestId: ctx.actor.requestId } }, checked.businessId, {
        rail: 'mpesa_c2b', providerRef: p.transId, amountMinor: p.amountMinor, currency: 'KES', receivedAt: p.transactedAt.toISOString(),
        payerPhone: p.msisdn || null, payerName: p.payerName || null, accountRef: p.billRef, shortcode: p.shortcode, rawPayload: p.raw,
        alsoInTransaction: async (trx, payment) => {
          keptWithPayment = true;
          await recordCallback(trx, ctx.clock.now(), { businessId: checked.businessId, kind: 'c2b_confirmation', outcome: `recorded ${payment.id}`, remoteIp, body });
        },
      });
      outcome = result.duplicate ? `duplicate of ${result.payment.id}` : `recorded ${result.payment.id} (${result.matched})`;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcome = `refused: ${error.message}`;
    }
  }
  if (!keptWithPayment) await recordCallback(ctx.store.db, ctx.clock.now(), { businessId: checked.businessId, kind: 'c2b_confirmation', outcome, remoteIp, body });
  return { recorded: checked.ok && outcome.startsWith('recorded'), outcome };
}
