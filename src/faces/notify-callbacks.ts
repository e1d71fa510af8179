/** Delivery reports from the SMS provider, posted to the URL set in its dashboard (form-encoded or JSON). */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../domain/errors.js';
import { parseDeliveryReport, storeDeliveryReport } from '../notify/sms/africastalking/delivery-report.js';

export async function notifyCallbacks(app: FastifyInstance): Promise<void> {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.post('/callbacks/sms/delivery-reports', { schema: { tags: ['callbacks'], summary: "Africa's Talking delivery report" } }, async (request, reply) => {
    try {
      const { messageId } = await storeDeliveryReport(request.server.services.store.db, request.server.services.clock.now(), parseDeliveryReport(request.body));
      return { received: true, matched: messageId !== null };
    } catch (error) {
      if (error instanceof AppError) return reply.status(400).send({ error: error.message, code: error.code, field: error.field });
      throw error;
    }
  });
}
