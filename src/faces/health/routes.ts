/** Liveness (the process answers) and readiness (the database answers) for load balancers and orchestrators. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/health', { schema: { tags: ['operations'], summary: 'Process is up' } }, async () => ({ status: 'ok' }));

  app.get('/ready', { schema: { tags: ['operations'], summary: 'Database is reachable' } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(app.services.store.db);
      return { status: 'ready', database: app.services.store.engine };
    } catch (error) {
      request.log.warn({ err: error }, 'database not reachable');
      return reply.status(503).send({ status: 'unavailable', database: app.services.store.engine });
    }
  });
}
