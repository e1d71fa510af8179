/** Invoice and transaction lists (seed 002), paginated the same way everywhere: newest first, `{data, has_more, next_cursor}`. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { accountRefKey } from '../../domain/customers.js';
import { notFound } from '../../domain/errors.js';
import { formatMajor, parseCurrency } from '../../domain/money.js';
import { getInvoiceDetail } from '../../services/invoices/get-invoice.js';
import { paymentByReference } from '../../services/payments/payment-queries.js';
import { businessOf, requireRole } from './auth.js';
import { paymentJson } from './serialize.js';

const ListQuery = Type.Object({
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
  customer: Type.Optional(Type.String({ maxLength: 64, description: 'customer id or account reference' })),
  from: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'issue date from (inclusive)' })),
  to: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'issue date to (inclusive)' })),
}, { additionalProperties: false });

const VIEWS: Record<string, string[] | null> = { '': null, pending: ['open', 'partially_paid'], overdue: ['overdue'], paid: ['paid'] };

const pageSize = (limit?: string): number => Math.min(Math.max(Number(limit ?? 50) || 50, 1), 100);

export async function listRoutes(app: FastifyInstance): Promise<void> {
  const reader = requireRole('admin', 'staff');
  const security = [{ bearer: [] }];
  for (const [view, statuses] of Object.entries(VIEWS)) {
    app.get(`/admin/invoices${view ? `/${view}` : ''}`, { preHandler: reader, schema: { tags: ['invoices'], summary: view ? `${view} invoices` : 'All invoices', querystring: ListQuery, security } },
      async (request) => {
        const q = request.query as Static<typeof ListQuery>;
        const businessId = businessOf(request);
        const limit = pageSize(q.limit);
        let query = app.services.store.db.selectFrom('invoices as i').innerJoin('customers as c', 'c.id', 'i.customer_id')
          .select((eb) => ['i.id', 'i.number', 'i.status', 'i.currency', 'i.name', 'i.total_minor', 'i.issue_date', 'i.due_date', 'i.created_at', 'c.account_ref', 'c.name as customer_name',
            eb.selectFrom('allocations as a').select((e) => e.fn.coalesce(e.fn.sum<number>('a.amount_minor'), e.lit(0)).as('s')).whereRef('a.invoice_id', '=', 'i.id').as('paid')])
          .where('i.business_id', '=', businessId);
        if (statuses) query = query.where('i.status', 'in', statuses);
        if (q.customer) query = query.where((eb) => eb.or([eb('c.id', '=', q.customer!), eb('c.account_ref_key', '=', accountRefKey(q.customer!))]));
        if (q.from) query = query.where('i.issue_date', '>=', q.from);
        if (q.to) query = query.where('i.issue_date', '<=', q.to);
        if (q.cursor) query = query.where('i.id', '<', q.cursor);
        const rows = await query.orderBy('i.id', 'desc').limit(limit + 1).execute();
        const page = rows.slice(0, limit);
        return {
          data: page.map((r) => {
            const c = parseCurrency(r.currency);
            const balance = Number(r.total_minor) - Number(r.paid ?? 0);
            return { id: r.id, number: r.number, status: r.status, currency: c, name: r.name, customer: { account_reference: r.account_ref, name: r.customer_name },
              total_minor: Number(r.total_minor), total: formatMajor(Number(r.total_minor), c), balance_minor: balance, balance: formatMajor(balance, c), issue_date: r.issue_date, due_date: r.due_date, created_at: r.created_at };
          }),
          has_more: rows.length > limit,
          next_cursor: rows.length > limit ? page.at(-1)!.id : null,
        };
      });
  }

  app.get('/admin/transactions', { preHandler: reader, schema: { tags: ['transactions'], summary: 'All payment transactions', querystring: Type.Object({ limit: ListQuery.properties.limit, cursor: ListQuery.properties.cursor }, { additionalProperties: false }), security } },
    async (request) => {
      const q = request.query as { limit?: string; cursor?: string };
      const limit = pageSize(q.limit);
      let query = app.services.store.db.selectFrom('payments').selectAll().where('business_id', '=', businessOf(request));
      if (q.cursor) query = query.where('id', '<', q.cursor);
      const rows = await query.orderBy('id', 'desc').limit(limit + 1).execute();
      const page = rows.slice(0, limit);
      return { data: page.map(paymentJson), has_more: rows.length > limit, next_cursor: rows.length > limit ? page.at(-1)!.id : null };
    });

  app.get('/admin/transactions/invoice/:invoice_id', { preHandler: reader, schema: { tags: ['transactions'], summary: 'Transactions applied to one invoice', params: Type.Object({ invoice_id: Type.String({ maxLength: 64 }) }), security } },
    async (request) => {
      const detail = await getInvoiceDetail(app.services.store.db, businessOf(request), (request.params as { invoice_id: string }).invoice_id);
      const ids = [...new Set(detail.allocations.map((a) => a.paymentId))];
      const rows = ids.length ? await app.services.store.db.selectFrom('payments').selectAll().where('id', 'in', ids).orderBy('id').execute() : [];
      return { data: rows.map((p) => ({ ...paymentJson(p), applied_minor: detail.allocations.filter((a) => a.paymentId === p.id).reduce((s, a) => s + a.amountMinor, 0) })) };
    });

  app.get('/admin/transactions/:reference', { preHandler: reader, schema: { tags: ['transactions'], summary: 'A transaction with its gateway data (the provider’s raw payload)', params: Type.Object({ reference: Type.String({ maxLength: 100 }) }), security } },
    async (request) => {
      const businessId = businessOf(request);
      const payment = await paymentByReference(app.services.store.db, businessId, (request.params as { reference: string }).reference);
      if (!payment) throw notFound('transaction');
      const allocations = await app.services.store.db.selectFrom('allocations').innerJoin('invoices', 'invoices.id', 'allocations.invoice_id')
        .select(['allocations.id', 'allocations.amount_minor', 'allocations.created_at', 'invoices.id as invoice_id', 'invoices.number']).where('allocations.payment_id', '=', payment.id).orderBy('allocations.id').execute();
      return { ...paymentJson(payment), match_rule: payment.match_rule, gateway_data: payment.raw_payload ? JSON.parse(payment.raw_payload) as unknown : null,
        allocations: allocations.map((a) => ({ id: a.id, invoice_id: a.invoice_id, invoice_number: a.number, amount_minor: Number(a.amount_minor), created_at: a.created_at })) };
    });
}
