/** The native admin and checkout API under /api (seed 002). */
import type { FastifyInstance } from 'fastify';
import { businessRoutes } from './businesses.js';
import { invoiceRoutes } from './invoices.js';
import { ledgerRoutes } from './ledger.js';
import { messageRoutes } from './messages.js';
import { listRoutes } from './invoice-lists.js';
import { checkoutRoutes } from './checkout.js';
import { catalogRoutes } from './catalog.js';
import { invoiceEditRoutes } from './invoice-edits.js';
import { codRoutes } from './cod.js';
import { testRoutes, testRoutesEnabled } from './test-routes.js';
import { paymentRoutes } from './payments.js';

export async function nativeApi(app: FastifyInstance): Promise<void> {
  await app.register(businessRoutes);
  await app.register(invoiceRoutes);
  await app.register(paymentRoutes);
  await app.register(ledgerRoutes);
  await app.register(messageRoutes);
  await app.register(listRoutes);
  await app.register(checkoutRoutes);
  await app.register(catalogRoutes);
  await app.register(invoiceEditRoutes);
  await app.register(codRoutes);
  if (testRoutesEnabled(app.services.config.testRoutes)) await app.register(testRoutes);
}
