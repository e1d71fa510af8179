/** The outbox as a business sees it: what was sent, what failed and why, and a replay button. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { retryMessage } from '../../jobs/outbox/retry.js';
import { businessOf, requestCtx, requireRole } from './auth.js';
import { IdParams } from './schemas.js';
import { idempotent } from './idempotency.js';

const ListQuery = Type.Object({
  status: Type.Optional(Type.Union(['pending', 'in_flight', 'delivered', 'failed', 'cancelled'].map((s) => Type.Literal(s)))),
  kind: Type.Optional(Type.String({ maxLength: 40 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
}, { additionalProperties: false });

export async function messageRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  app.get('/admin/messages', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['messages'], summary: 'Outgoing SMS, email and callbacks with their delivery state', querystring: ListQuery, security } },
    async (request) => {
      const q = request.query as { status?: string; kind?: string; limit?: string };
      let query = request.server.services.store.db.selectFrom('outbox_messages')
        .select(['id', 'channel', 'kind', 'recipient', 'status', 'attempts', 'attempts_max', 'last_error', 'next_attempt_at', 'created_at', 'finished_at'])
        .where('business_id', '=', businessOf(request));
      if (q.status) query = query.where('status', '=', q.status);
      if (q.kind) query = query.where('kind', '=', q.kind);
      return { messages: await query.orderBy('id', 'desc').limit(Math.min(Number(q.limit ?? 50) || 50, 100)).execute() };
    });
  app.post('/admin/messages/:id/retry', { preHandler: requireRole('admin'), schema: { tags: ['messages'], summary: 'Replay a failed message with a fresh set of tries', params: IdParams, security } },
    async (request, reply) => idempotent(request, reply, businessOf(request), async () => {
      await retryMessage(requestCtx(request), businessOf(request), (request.params as { id: string }).id);
      return { status: 200, body: { id: (request.params as { id: string }).id, status: 'pending' } };
    }));
}
