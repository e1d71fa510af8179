/** Read-only views of the journal: trial balance, the invariant check, and the audit trail of one record. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { auditTrail } from '../../services/audit.js';
import { trialBalance } from '../../services/ledger/balances.js';
import { verifyLedger } from '../../services/ledger/verify-ledger.js';
import { businessOf, requireRole } from './auth.js';

export async function ledgerRoutes(app: FastifyInstance): Promise<void> {
  const reader = requireRole('admin', 'staff');
  const security = [{ bearer: [] }];
  app.get('/admin/ledger/trial-balance', { preHandler: reader, schema: { tags: ['ledger'], summary: 'Balances per account and currency, derived from the journal', security } },
    async (request) => ({ accounts: await trialBalance(request.server.services.store.db, businessOf(request)) }));
  app.get('/admin/ledger/verify', { preHandler: reader, schema: { tags: ['ledger'], summary: 'Recompute the ledger invariants', security } },
    async (request) => verifyLedger(request.server.services.store.db, businessOf(request)));
  app.get('/admin/audit', {
    preHandler: reader,
    schema: { tags: ['ledger'], summary: 'Audit trail of one record', security, querystring: Type.Object({ entity_type: Type.String({ maxLength: 40 }), entity_id: Type.String({ maxLength: 64 }) }, { additionalProperties: false }) },
  }, async (request) => {
    const q = request.query as { entity_type: string; entity_id: string };
    const rows = await auditTrail(request.server.services.store.db, businessOf(request), q.entity_type, q.entity_id);
    return { events: rows.map((r) => ({ action: r.action, actor: `${r.actor_type}:${r.actor_id}`, request_id: r.request_id, data: JSON.parse(r.data_json) as unknown, at: r.created_at })) };
  });
}
