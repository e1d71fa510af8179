/**
 * What Daraja calls: C2B validation and confirmation at the secret URLs we registered, and STK
 * callbacks at the one-off URL of each push. Every body is kept raw; Daraja always gets the body
 * it expects, and only a failure of ours (a 5xx) makes it retry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.js';
import { parseStkCallback } from '../../rails/mpesa/daraja-wire.js';
import type { Ctx } from '../../services/context.js';
import { CONFIRMATION_ACK, handleC2bConfirmation, handleC2bValidation } from '../../services/mpesa/c2b-callbacks.js';
import { recordCallback } from '../../services/mpesa/record-callback.js';
import { hashPathSecret } from '../../services/mpesa/register-urls.js';
import { applyStkResult } from '../../services/mpesa/stk-result.js';

const SecretParams = Type.Object({ secret: Type.String({ minLength: 16, maxLength: 64 }) });

function ctxOf(request: FastifyRequest): Ctx {
  const { store, clock } = request.server.services;
  return { store, clock, actor: { type: 'provider', id: 'daraja', requestId: request.id } };
}

export async function mpesaCallbackRoutes(app: FastifyInstance): Promise<void> {
  // Daraja's bodies are not ours to validate by schema: malformed ones are recorded, not bounced.
  app.post('/callbacks/c2b/:secret/validate', { schema: { tags: ['callbacks'], summary: 'C2B validation (registered with Daraja)', params: SecretParams } },
    async (request) => handleC2bValidation(ctxOf(request), { secret: (request.params as { secret: string }).secret }, request.body, request.ip));

  app.post('/callbacks/c2b/:secret/confirm', { schema: { tags: ['callbacks'], summary: 'C2B confirmation (registered with Daraja)', params: SecretParams } },
    async (request) => {
      await handleC2bConfirmation(ctxOf(request), { secret: (request.params as { secret: string }).secret }, request.body, request.ip);
      return CONFIRMATION_ACK;
    });

  // Seed 002's fixed paths: trusted only for a business that set an IP allow-list; otherwise recorded, acknowledged, not applied.
  app.post('/callbacks/mpesa/validation', { schema: { tags: ['callbacks'], summary: 'C2B validation at the fixed path (needs an IP allow-list)' } },
    async (request) => handleC2bValidation(ctxOf(request), { shortcodeFromBody: true }, request.body, request.ip));
  app.post('/callbacks/mpesa/confirmation', { schema: { tags: ['callbacks'], summary: 'C2B confirmation at the fixed path (needs an IP allow-list)' } },
    async (request) => {
      await handleC2bConfirmation(ctxOf(request), { shortcodeFromBody: true }, request.body, request.ip);
      return CONFIRMATION_ACK;
    });

  app.post('/callbacks/mpesa', {
    schema: { tags: ['callbacks'], summary: 'STK push callback (the CallBackURL of each push carries its one-off token)', querystring: Type.Object({ k: Type.Optional(Type.String({ maxLength: 64 })) }) },
  }, async (request) => {
    const ctx = ctxOf(request);
    const token = (request.query as { k?: string }).k ?? '';
    let outcome: string;
    let businessId: string | null = null;
    try {
      const parsed = parseStkCallback(request.body);
      const stk = await ctx.store.db.selectFrom('stk_requests').select(['business_id', 'callback_token_hash'])
        .where('checkout_request_id', '=', parsed.checkoutRequestId).executeTakeFirst();
      if (!stk) outcome = 'unknown checkout id';
      else if (stk.callback_token_hash !== hashPathSecret(token)) { outcome = 'wrong callback token'; businessId = stk.business_id; }
      else {
        businessId = stk.business_id;
        const applied = await applyStkResult(ctx, parsed.checkoutRequestId, { resultCode: parsed.resultCode, resultDesc: parsed.resultDesc, receipt: parsed.receipt, phone: parsed.phone, amountMinor: parsed.amountMinor, raw: request.body });
        outcome = applied?.changed ? `settled ${applied.status}` : `already ${applied?.status}`;
      }
    } catch (error) {
      // Our own failure (database down) is a 5xx so Daraja retries; a bad body is recorded and acknowledged.
      if (!(error instanceof AppError)) throw error;
      outcome = `refused: ${error.message}`;
    }
    await recordCallback(ctx.store.db, ctx.clock.now(), { businessId, kind: 'stk_callback', outcome, remoteIp: request.ip, body: request.body });
    return { ResultCode: 0, ResultDesc: 'Accepted' };
  });
}
