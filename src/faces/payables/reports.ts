/** Payables reports: AP aging and the trial balance, as JSON or CSV (?format=csv). */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { getBusiness } from '../../services/businesses/get-business.js';
import { trialBalance } from '../../services/ledger/balances.js';
import { apAging, BUCKETS, toCsv } from '../../services/payables/ap-aging.js';
import { businessOf, requireRole } from '../native/auth.js';
import { assertOwnBusiness, ok } from './envelope.js';

const Query = Type.Object({ businessId: Type.String({ minLength: 1, maxLength: 64 }), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }, { additionalProperties: false });

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const reader = requireRole('admin', 'staff');
  const schema = { tags: ['payables'], security: [{ bearer: [] }], querystring: Query };
  app.get('/reports/ap-aging', { preHandler: reader, schema }, async (request, reply) => {
    const q = request.query as { businessId: string; format?: string };
    assertOwnBusiness(q.businessId, businessOf(request));
    const business = await getBusiness(app.services.store.db, businessOf(request));
    const aging = await apAging(app.services.store.db, app.services.keys, business.id, business.timezone, app.services.clock.now());
    if (q.format === 'csv') {
      const rows = [...aging.suppliers.map((s) => [s.supplierId, s.name, ...BUCKETS.map((b) => s[b]), s.totalKobo]), ['total', '', ...BUCKETS.map((b) => aging.total[b]), aging.total.totalKobo]];
      return reply.type('text/csv; charset=utf-8').send(toCsv(['supplier_id', 'supplier', ...BUCKETS.map((b) => `${b}_kobo`), 'total_kobo'], rows));
    }
    return ok(reply, aging);
  });
  app.get('/reports/trial-balance', { preHandler: reader, schema }, async (request, reply) => {
    const q = request.query as { businessId: string; format?: string };
    assertOwnBusiness(q.businessId, businessOf(request));
    const rows = await trialBalance(app.services.store.db, businessOf(request));
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(['code', 'name', 'type', 'currency', 'debit_kobo', 'credit_kobo', 'balance_kobo'], rows.map((r) => [r.code, r.name, r.type, r.currency, r.debitMinor, r.creditMinor, r.balanceMinor])));
    const debits = rows.reduce((s, r) => s + r.debitMinor, 0);
    const credits = rows.reduce((s, r) => s + r.creditMinor, 0);
    return ok(reply, { accounts: rows, totalDebitKobo: debits, totalCreditKobo: credits, balanced: debits === credits });
  });
}
