/** The M-PESA rail's HTTP surface under /api: settings, STK push for the pay page, and Daraja's callbacks. */
import type { FastifyInstance } from 'fastify';
import { mpesaCallbackRoutes } from './callbacks.js';
import { mpesaRoutes } from './routes.js';

export async function mpesaApi(app: FastifyInstance): Promise<void> {
  await app.register(mpesaRoutes);
  await app.register(mpesaCallbackRoutes);
}
