/** The payables API under /v1 (seed 004): suppliers, chart of accounts, bills, bill payments, reports. */
import type { FastifyInstance } from 'fastify';
import { billRoutes } from './bills.js';
import { payablesErrorHandler } from './envelope.js';
import { supplierAndAccountRoutes } from './suppliers.js';
import { reportRoutes } from './reports.js';

export async function payablesApi(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(payablesErrorHandler);
  await app.register(supplierAndAccountRoutes);
  await app.register(billRoutes);
  await app.register(reportRoutes);
}
