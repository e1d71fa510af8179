/** Cash on delivery (seed 002): create and instructions are public (by invoice token); collect and verify are admin. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { notFound } from '../../domain/errors.js';
import { codInstructions, collectCod, createCod, verifyCod } from '../../services/cod/cash-on-delivery.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { idempotent } from './idempotency.js';

const CodParams = Type.Object({ cod_id: Type.String({ minLength: 1, maxLength: 64 }) });

export async function codRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  const publicCtx = (requestId: string) => ({ store: app.services.store, clock: app.services.clock, actor: { type: 'user' as const, id: 'payer', requestId } });

  app.post('/payments/cod/create', { schema: { tags: ['checkout'], summary: 'Cash on delivery for an invoice (its id or public token); the verification code is shown once',
    body: Type.Object({ invoice_id: Type.String({ minLength: 1, maxLength: 80 }) }, { additionalProperties: false }) } }, async (request, reply) => {
    const ref = (request.body as { invoice_id: string }).invoice_id;
    const invoice = await app.services.store.db.selectFrom('invoices').select(['id', 'business_id']).where((eb) => eb.or([eb('id', '=', ref), eb('public_token', '=', ref)])).executeTakeFirst();
    if (!invoice) throw notFound('invoice');
    return idempotent(request, reply, invoice.business_id, async () => {
      const created = await createCod(publicCtx(request.id), invoice.business_id, invoice.id);
      return { status: 201, body: { cod_id: created.codId, verification_code: created.code, amount_minor: created.amountMinor, status: 'awaiting_delivery' } };
    }, (body) => ({ ...(body as object), verification_code: null, note: 'the verification code is shown only once' }));
  });
  app.get('/payments/cod/:cod_id/instructions', { schema: { tags: ['checkout'], params: CodParams } }, async (request) => codInstructions(publicCtx(request.id), (request.params as { cod_id: string }).cod_id));

  const CollectBody = Type.Object({ collector: Type.String({ minLength: 1, maxLength: 200 }), delivery_agent_id: Type.Optional(Type.String({ maxLength: 64 })), notes: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
  app.post('/admin/payments/cod/:cod_id/collect', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['payments'], params: CodParams, body: CollectBody, security } }, async (request, reply) => {
    const body = request.body as Static<typeof CollectBody>;
    const codId = (request.params as { cod_id: string }).cod_id;
    return idempotent(request, reply, businessOf(request), async () => {
      await collectCod(requestCtx(request), businessOf(request), codId, { collector: body.collector, agentId: body.delivery_agent_id, notes: body.notes });
      return { status: 200, body: { cod_id: codId, status: 'collected' } };
    });
  });
  app.post('/admin/payments/cod/:cod_id/verify', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['payments'], params: CodParams, body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 12 }) }, { additionalProperties: false }), security } },
    async (request, reply) => {
      const codId = (request.params as { cod_id: string }).cod_id;
      return idempotent(request, reply, businessOf(request), async () => {
        const { paymentId } = await verifyCod(requestCtx(request), businessOf(request), codId, (request.body as { code: string }).code);
        return { status: 200, body: { cod_id: codId, status: 'verified', payment_id: paymentId } };
      });
    });
}
