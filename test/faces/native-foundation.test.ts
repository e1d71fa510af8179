import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, PLATFORM_TOKEN, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

const invoiceBody = (overrides: Record<string, unknown> = {}) => ({
  customer: { account_reference: 'G70', name: 'Joan Doe', phone: '0712345678' },
  name: 'Rent March',
  due_date: '2026-03-31',
  items: [{ name: 'Rent', unit_price: '12,000.00' }, { name: 'Water', quantity: 2, unit_price: '350.5', tax_rate: 16 }],
  ...overrides,
});

for (const { engine, skip } of ENGINES) {
  describe(`native API foundation on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    const countInvoices = async () => Number((await store.db.selectFrom('invoices').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

    test('health answers, ready checks the database, OpenAPI and the reference are served', async () => {
      assert.deepEqual((await h.app.inject({ url: '/health' })).json(), { status: 'ok' });
      assert.deepEqual((await h.app.inject({ url: '/ready' })).json(), { status: 'ready', database: engine });
      const spec = (await h.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
      assert.ok(spec.paths['/api/admin/invoices']);
      const docs = await h.app.inject({ url: '/docs/' });
      assert.equal(docs.statusCode, 200);
      assert.match(docs.body, /swagger/i);
    });

    test('an invoice created over HTTP is totalled exactly and can be read back', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: invoiceBody() });
      assert.equal(res.statusCode, 201, res.body);
      const invoice = res.json();
      // 12,000.00 + 2 × 350.50 = 12,701.00; VAT 16% of 701.00 = 112.16
      assert.equal(invoice.subtotal, '12701.00');
      assert.equal(invoice.tax, '112.16');
      assert.equal(invoice.total_minor, 1_281_316);
      assert.equal(invoice.status, 'open');
      assert.equal(invoice.customer.phone, '+254712345678');
      assert.ok(res.headers['x-request-id']);
      const queued = await store.db.selectFrom('outbox_messages').select(['kind', 'recipient']).where('dedupe_key', 'like', `%${invoice.id}%`).orderBy('dedupe_key').execute();
      assert.deepEqual(queued.map((m) => m.kind).sort(), ['invoice', 'reminder', 'reminder', 'reminder']);
      const read = await h.app.inject({ url: `/api/admin/invoices/${invoice.id}`, headers: bearer(h.staffToken) });
      assert.equal(read.json().payment_summary.balance, '12813.16');
      const cancelled = await h.app.inject({ method: 'PUT', url: `/api/admin/invoices/${invoice.id}/cancel`, headers: bearer(h.adminToken) });
      assert.equal(cancelled.statusCode, 200, cancelled.body);
      assert.equal(cancelled.json().status, 'cancelled');
    });

    test('bad input is a 400 naming the field, and nothing is written', async () => {
      const before = await countInvoices();
      const cases: Array<[unknown, string]> = [
        [invoiceBody({ surprise: 1 }), 'surprise'],
        [invoiceBody({ items: [{ name: 'x', unit_price: '-5' }] }), 'items[0].unit_price'],
        [invoiceBody({ items: [{ name: 'x', unit_price: '10.123' }] }), 'items[0].unit_price'],
        [invoiceBody({ items: [{ name: 'x', unit_price: 'ten' }] }), 'items[0].unit_price'],
        [invoiceBody({ currency: 'XYZ' }), 'currency'],
        [invoiceBody({ currency: 'UGX', items: [{ name: 'x', unit_price: '5000.5' }] }), 'items[0].unit_price'],
        [invoiceBody({ customer: { account_reference: 'A', name: 'x'.repeat(201) } }), 'customer.name'],
        [invoiceBody({ items: [{ name: 'x', quantity: '2', unit_price: '1' }] }), 'items[0].quantity'],
        [invoiceBody({ due_date: '2026-02-30' }), 'due_date'],
        [invoiceBody({ items: [] }), 'items'],
        [invoiceBody({ customer: { account_reference: 'P', name: 'x', phone: '12345' } }), 'customer.phone'],
        [invoiceBody({ customer: { account_reference: 'P', name: 'x', email: 'not-an-email' } }), 'customer.email'],
      ];
      for (const [payload, field] of cases) {
        const res = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: payload as object });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.equal(res.json().field, field, res.body);
        assert.ok(res.json().error.includes(field), res.body);
      }
      const malformed = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: { ...bearer(h.adminToken), 'content-type': 'application/json' }, payload: '{"customer": ' });
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.json().error, /JSON/);
      assert.equal(await countInvoices(), before);
    });

    test('401 without or with a bad token, 403 for the wrong role or another business', async () => {
      assert.equal((await h.app.inject({ url: '/api/admin/business' })).statusCode, 401);
      const bad = await h.app.inject({ url: '/api/admin/business', headers: bearer('bm_nope') });
      assert.equal(bad.statusCode, 401);
      assert.deepEqual(Object.keys(bad.json()).sort(), ['code', 'error']);
      const staffWrite = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.staffToken), payload: invoiceBody() });
      assert.equal(staffWrite.statusCode, 403);
      const other = await h.app.inject({ url: '/api/admin/business', headers: { ...bearer(h.adminToken), 'x-business-id': 'biz_other' } });
      assert.equal(other.statusCode, 403);
      const notPlatform = await h.app.inject({ method: 'POST', url: '/api/admin/businesses', headers: bearer(h.adminToken), payload: { name: 'x' } });
      assert.equal(notPlatform.statusCode, 403);
    });

    test('the platform token creates a business and acts for it only when it names it', async () => {
      const created = await h.app.inject({ method: 'POST', url: '/api/admin/businesses', headers: bearer(PLATFORM_TOKEN), payload: { name: 'Kampala Water', currency: 'UGX', timezone: 'Africa/Kampala', country: 'UG' } });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      assert.equal((await h.app.inject({ url: '/api/admin/business', headers: bearer(PLATFORM_TOKEN) })).statusCode, 400);
      const read = await h.app.inject({ url: '/api/admin/business', headers: { ...bearer(PLATFORM_TOKEN), 'x-business-id': id } });
      assert.equal(read.json().currency, 'UGX');
    });

    test('a business cannot read another business’s invoice by id', async () => {
      const mine = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: invoiceBody() });
      const other = await h.app.inject({ method: 'POST', url: '/api/admin/businesses', headers: bearer(PLATFORM_TOKEN), payload: { name: 'Other' } });
      const otherAdmin = await h.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...bearer(PLATFORM_TOKEN), 'x-business-id': other.json().id }, payload: { role: 'admin' } });
      const res = await h.app.inject({ url: `/api/admin/invoices/${mine.json().id}`, headers: bearer(otherAdmin.json().token) });
      assert.equal(res.statusCode, 404);
    });

    test('an Idempotency-Key replays the first answer and refuses a different body', async () => {
      const headers = { ...bearer(h.adminToken), 'idempotency-key': 'create-once-1' };
      const first = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers, payload: invoiceBody({ customer: { account_reference: 'IDEM', name: 'I' } }) });
      const before = await countInvoices();
      const again = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers, payload: invoiceBody({ customer: { account_reference: 'IDEM', name: 'I' } }) });
      assert.equal(again.statusCode, 201);
      assert.equal(again.json().id, first.json().id);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(await countInvoices(), before);
      const different = await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers, payload: invoiceBody({ name: 'other' }) });
      assert.equal(different.statusCode, 409);
    });

    test('cash paid over the counter settles the invoice; cancelling it then answers 409', async () => {
      const inv = (await h.app.inject({ method: 'POST', url: '/api/admin/invoices', headers: bearer(h.adminToken), payload: invoiceBody({ customer: { account_reference: 'CASH1', name: 'C' }, items: [{ name: 'Fee', unit_price: 500 }] }) })).json();
      const pay = await h.app.inject({ method: 'POST', url: '/api/admin/payments', headers: bearer(h.staffToken), payload: { rail: 'cash', reference: 'RCPT-1', amount: '500.00', account_reference: 'cash1' } });
      assert.equal(pay.statusCode, 201, pay.body);
      assert.equal(pay.json().allocations[0].amount_minor, 50_000);
      const cancel = await h.app.inject({ method: 'PUT', url: `/api/admin/invoices/${inv.id}/cancel`, headers: bearer(h.adminToken), payload: { reason: 'x' } });
      assert.equal(cancel.statusCode, 409);
      assert.equal(cancel.json().error, 'partially or fully paid invoices cannot be cancelled');
      const verify = await h.app.inject({ url: '/api/admin/ledger/verify', headers: bearer(h.adminToken) });
      assert.equal(verify.json().ok, true, verify.body);
      const audit = await h.app.inject({ url: `/api/admin/audit?entity_type=invoice&entity_id=${inv.id}`, headers: bearer(h.adminToken) });
      assert.equal(audit.json().events[0].actor.startsWith('token:tok_'), true);
    });
  });
}
