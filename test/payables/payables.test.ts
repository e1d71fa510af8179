import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyLedger } from '../../src/services/ledger/verify-ledger.js';
import { bearer, PLATFORM_TOKEN, testApp } from '../helpers/app.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`payables API (seed 004) on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    let supplierId: string;
    let expenseId: string;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = h.adminToken) =>
      h.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
    const bill = (overrides: Record<string, unknown> = {}) => ({
      supplierId, billDate: '2026-03-01', dueDate: '2026-03-31', reference: 'SUP-INV-77',
      lineItems: [{ description: 'Diesel', quantity: 2, unitPrice: '500.25', accountId: expenseId }, { description: 'Service', quantity: 1, unitPrice: 1000, accountId: expenseId }], ...overrides,
    });

    test('suppliers are sealed at rest and opened in responses; accounts list the defaults', async () => {
      const created = await call('POST', '/v1/suppliers', { businessId: h.business.id, name: 'Mafuta Ltd', phone: '+254711000111', email: 'ap@mafuta.co.ke', taxId: 'P051234567X', bankDetails: 'KCB 1234567890' });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().success, true);
      supplierId = created.json().data.id;
      assert.equal(created.json().data.taxId, 'P051234567X');
      const raw = JSON.stringify(await store.db.selectFrom('suppliers').selectAll().where('id', '=', supplierId).executeTakeFirstOrThrow());
      for (const secret of ['Mafuta', '0711000111', 'mafuta.co.ke', 'P051234567X', '1234567890']) assert.equal(raw.includes(secret), false, `${secret} is not in clear`);
      const accounts = (await call('GET', `/v1/accounts?businessId=${h.business.id}`)).json().data as Array<{ id: string; code: string; type: string }>;
      assert.deepEqual(['2022', '2027', '1150', '2000'].map((code) => accounts.some((a) => a.code === code)), [true, true, true, true]);
      expenseId = accounts.find((a) => a.code === '5000')!.id;
      const own = await call('POST', '/v1/accounts', { code: '5400', name: 'Fuel', type: 'expense' });
      assert.equal(own.statusCode, 201);
      assert.equal((await call('POST', '/v1/accounts', { code: '5400', name: 'Again', type: 'expense' })).statusCode, 409);
    });

    test('a bill is totalled per line with the business VAT default, numbered, posted to AP', async () => {
      const res = await call('POST', '/v1/bills', bill());
      assert.equal(res.statusCode, 201, res.body);
      const data = res.json().data;
      // 2 × 500.25 + 1,000 = 2,000.50; Kenyan VAT 16% per line: 160.08 + 160.00 = 320.08
      assert.equal(data.subtotalKobo, 200_050);
      assert.equal(data.vatKobo, 32_008);
      assert.equal(data.totalKobo, 232_058);
      assert.equal(data.total, 2320.58);
      assert.equal(data.amountDueKobo, 232_058);
      assert.equal(data.status, 'unpaid');
      assert.equal(data.vatRate, 16);
      assert.match(data.number, /^BILL-2026-001$/);
      const second = await call('POST', '/v1/bills', bill({ vatRate: 7.5, lineItems: [{ description: 'Paper', quantity: 1, unitPrice: '1000', accountId: expenseId }] }));
      assert.equal(second.json().data.number, 'BILL-2026-002');
      assert.equal(second.json().data.totalKobo, 107_500);
      const tb = (await call('GET', `/v1/reports/trial-balance?businessId=${h.business.id}`)).json().data;
      assert.equal(tb.balanced, true);
      assert.equal(tb.accounts.find((a: { code: string }) => a.code === '2000').balanceMinor, 232_058 + 107_500);
    });

    test('payments advance the status, WHT moves from provision to payable, overpaying is refused, a paid bill is immutable', async () => {
      const id = (await call('POST', '/v1/bills', bill({ vatRate: 0, lineItems: [{ description: 'Consulting', quantity: 1, unitPrice: '10000', accountId: expenseId }] }))).json().data.id;
      const first = await call('POST', `/v1/bills/${id}/payments`, { amount: 4000, paymentMethod: 'bank_transfer', whtRate: 5, reference: 'TRX-1' });
      assert.equal(first.statusCode, 201, first.body);
      assert.equal(first.json().data.bill.status, 'partial');
      assert.equal(first.json().data.bill.amountDueKobo, 600_000);
      const entries = await store.db.selectFrom('journal_entries').innerJoin('journal_lines', 'journal_lines.entry_id', 'journal_entries.id').innerJoin('accounts', 'accounts.id', 'journal_lines.account_id')
        .select(['journal_entries.kind', 'accounts.code', 'journal_lines.debit_minor', 'journal_lines.credit_minor']).where('journal_entries.business_id', '=', h.business.id)
        .where('journal_entries.kind', 'in', ['bill_paid', 'wht_transferred']).orderBy('journal_entries.id').orderBy('journal_lines.id').execute();
      assert.deepEqual(entries.map((e) => [e.kind, e.code, Number(e.debit_minor), Number(e.credit_minor)]), [
        ['bill_paid', '2000', 400_000, 0], ['bill_paid', '1010', 0, 380_000], ['bill_paid', '2022', 0, 20_000],
        ['wht_transferred', '2022', 20_000, 0], ['wht_transferred', '2027', 0, 20_000],
      ]);
      const over = await call('POST', `/v1/bills/${id}/payments`, { amount: 6000.01 });
      assert.equal(over.statusCode, 400);
      assert.equal(over.json().error.field, 'amount');
      assert.equal((await call('POST', `/v1/bills/${id}/payments`, { amount: 6000, paymentMethod: 'mobile_money' })).json().data.bill.status, 'paid');
      assert.equal((await call('PUT', `/v1/bills/${id}`, bill())).statusCode, 409);
      assert.equal((await call('POST', `/v1/bills/${id}/void`, { reason: 'x' })).statusCode, 409);
      assert.equal((await call('POST', `/v1/bills/${id}/payments`, { amount: 1 })).statusCode, 409);
      const payments = (await call('GET', `/v1/bills/${id}/payments`)).json().data;
      assert.deepEqual(payments.map((p: { amountKobo: number; whtKobo: number; netPaidKobo: number }) => [p.amountKobo, p.whtKobo, p.netPaidKobo]), [[400_000, 20_000, 380_000], [600_000, 0, 600_000]]);
    });

    test('voiding an unpaid bill reverses its entry and the audit trail keeps the reason; editing re-posts', async () => {
      const id = (await call('POST', '/v1/bills', bill())).json().data.id;
      const edited = await call('PUT', `/v1/bills/${id}`, bill({ lineItems: [{ description: 'Diesel', quantity: 1, unitPrice: '100', accountId: expenseId }] }));
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().data.totalKobo, 11_600);
      assert.equal((await call('POST', `/v1/bills/${id}/void`, {})).statusCode, 400);
      const voided = await call('POST', `/v1/bills/${id}/void`, { reason: 'duplicate of SUP-INV-77' });
      assert.equal(voided.json().data.status, 'voided');
      assert.equal(voided.json().data.amountDueKobo, 0);
      const audit = await store.db.selectFrom('audit_log').select(['action', 'data_json']).where('entity_id', '=', id).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['bill.created', 'bill.updated', 'bill.voided']);
      assert.match(audit[2]!.data_json, /duplicate of SUP-INV-77/);
      const tb = (await call('GET', `/v1/reports/trial-balance?businessId=${h.business.id}`)).json().data;
      assert.equal(tb.balanced, true);
      assert.deepEqual((await verifyLedger(store.db, h.business.id)).problems, []);
    });

    test('every seed field is checked, naming it, and nothing is half-written', async () => {
      const inactive = (await call('POST', '/v1/suppliers', { name: 'Gone Ltd' })).json().data.id;
      await call('POST', `/v1/suppliers/${inactive}/deactivate`);
      const before = (await store.db.selectFrom('bills').select('id').where('business_id', '=', h.business.id).execute()).length;
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ supplierId: undefined }, 'supplierId'],
        [{ supplierId: inactive }, 'supplierId'],
        [{ lineItems: [] }, 'lineItems'],
        [{ lineItems: Array.from({ length: 101 }, () => ({ description: 'x', quantity: 1, unitPrice: 1, accountId: expenseId })) }, 'lineItems'],
        [{ lineItems: [{ description: 'x', quantity: -1, unitPrice: 1, accountId: expenseId }] }, 'lineItems[0].quantity'],
        [{ lineItems: [{ description: 'x', quantity: 1, unitPrice: '-5', accountId: expenseId }] }, 'lineItems[0].unitPrice'],
        [{ lineItems: [{ description: 'x', quantity: 1, unitPrice: '5', accountId: 'acct_nope' }] }, 'lineItems[0].accountId'],
        [{ dueDate: '2026-02-01' }, 'dueDate'],
        [{ billDate: 'yesterday' }, 'billDate'],
        [{ vatRate: 101 }, 'vatRate'],
      ];
      for (const [overrides, field] of cases) {
        const body = { ...bill(), ...overrides };
        if (overrides.supplierId === undefined && 'supplierId' in overrides) delete (body as { supplierId?: string }).supplierId;
        const res = await call('POST', '/v1/bills', body);
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        assert.equal(res.json().success, false);
        assert.equal(res.json().error.field, field, res.body);
      }
      const id = (await call('POST', '/v1/bills', bill())).json().data.id;
      assert.equal((await call('POST', `/v1/bills/${id}/payments`, { amount: 10, whtRate: 101 })).json().error.field, 'whtRate');
      assert.equal((await call('POST', `/v1/bills/${id}/payments`, { amount: 10, paymentMethod: 'barter' })).statusCode, 400);
      assert.equal((await store.db.selectFrom('bills').select('id').where('business_id', '=', h.business.id).execute()).length, before + 1);
    });

    test('lists are newest first with filters and a cursor; aging buckets by days past due; CSV too', async () => {
      const page1 = (await call('GET', `/v1/bills?businessId=${h.business.id}&limit=2`)).json();
      assert.equal(page1.data.length, 2);
      assert.equal(page1.pagination.hasMore, true);
      const page2 = (await call('GET', `/v1/bills?businessId=${h.business.id}&limit=2&cursor=${page1.pagination.nextCursor}`)).json();
      assert.ok(page2.data[0].id < page1.data[1].id);
      assert.ok((await call('GET', `/v1/bills?businessId=${h.business.id}&status=voided`)).json().data.every((b: { status: string }) => b.status === 'voided'));
      assert.equal((await call('GET', `/v1/bills?businessId=${h.business.id}&limit=101`)).statusCode, 400);
      h.ctx.clock.set('2026-05-15T09:00:00Z');
      assert.ok((await call('GET', `/v1/bills?businessId=${h.business.id}&status=overdue`)).json().data.length > 0, 'due 2026-03-31: overdue by mid-May');
      const aging = (await call('GET', `/v1/reports/ap-aging?businessId=${h.business.id}`)).json().data;
      assert.ok(aging.total.days_31_60 > 0);
      assert.equal(aging.suppliers[0].name, 'Mafuta Ltd');
      const csv = await call('GET', `/v1/reports/ap-aging?businessId=${h.business.id}&format=csv`);
      assert.match(String(csv.headers['content-type']), /text\/csv/);
      assert.match(csv.body, /^supplier_id,supplier,current_kobo,days_1_30_kobo/);
    });

    test('tenancy: another business id is 403, another business’s bill is 404', async () => {
      const other = (await h.app.inject({ method: 'POST', url: '/api/admin/businesses', headers: bearer(PLATFORM_TOKEN), payload: { name: 'Other' } })).json().id as string;
      assert.equal((await call('GET', `/v1/bills?businessId=${other}`)).statusCode, 403);
      const otherToken = (await h.app.inject({ method: 'POST', url: '/api/admin/tokens', headers: { ...bearer(PLATFORM_TOKEN), 'x-business-id': other }, payload: { role: 'admin' } })).json().token as string;
      const mine = (await call('GET', `/v1/bills?businessId=${h.business.id}&limit=1`)).json().data[0].id;
      assert.equal((await call('GET', `/v1/bills/${mine}`, undefined, otherToken)).statusCode, 404);
      assert.equal((await call('POST', `/v1/bills/${mine}/payments`, { amount: 1 }, otherToken)).statusCode, 404);
      assert.equal((await call('GET', `/v1/suppliers/${supplierId}`, undefined, otherToken)).statusCode, 404);
      assert.equal((await h.app.inject({ url: `/v1/bills?businessId=${h.business.id}` })).statusCode, 401);
    });
  });
}
