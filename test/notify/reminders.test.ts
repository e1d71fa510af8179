import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { LogSmsAdapter } from '../../src/notify/sms/log-adapter.js';
import { smsSender } from '../../src/notify/sms/sms-sender.js';
import { createBusiness } from '../../src/services/businesses/create-business.js';
import { createInvoice } from '../../src/services/invoices/create-invoices.js';
import { enqueueMessages } from '../../src/jobs/outbox/enqueue.js';
import { invoiceMessages } from '../../src/services/invoices/invoice-messages.js';
import { updateInvoice } from '../../src/services/invoices/edit-invoice.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

const HOUR_MS = 3600_000;

for (const { engine, skip } of ENGINES) {
  describe(`reminders over a moved clock on ${engine}`, { skip }, () => {
    let store: TestStore;
    before(async () => { store = await openTestStore(engine); });
    after(async () => { await store?.dispose(); });

    async function scenario(timezone: string, startIso: string, workers: number) {
      const ctx = testCtx(store);
      ctx.clock.set(startIso);
      const biz = await createBusiness(ctx, { name: `Reminders ${timezone}`, timezone, country: 'KE' });
      const { invoice, customer } = await createInvoice(ctx, biz.id, { customer: { accountRef: `R-${timezone}`, name: 'Amina', phone: '+254712000111' }, name: 'Fees', dueDate: '2026-05-20', items: [{ name: 'Fees', quantity: 1, unitPriceMinor: 50_000, taxRateBps: 0 }] });
      await store.db.transaction().execute((trx) => enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), invoice, customer, { businessName: biz.name, timezone, language: 'en', paybill: '600000', publicUrl: 'http://x', remindersOn: true })));
      const sms = new LogSmsAdapter();
      const sentAt: string[] = [];
      const pool = Array.from({ length: workers }, () => new OutboxWorker({ store, clock: ctx.clock, channels: ['sms'], senders: { sms: async (m, p) => {
        const result = await smsSender(store, sms, () => ctx.clock.now())(m, p);
        if (result.outcome === 'delivered' && m.kind === 'reminder' && m.business_id === biz.id) sentAt.push(ctx.clock.now().toISOString());
        return result;
      } } }));
      // Hour by hour through to the day after the due date; every worker polls every hour.
      while (ctx.clock.now() < new Date('2026-05-22T00:00:00Z')) {
        await Promise.all(pool.map((w) => w.tick()));
        ctx.clock.advance(HOUR_MS);
      }
      return sentAt;
    }

    test('exactly one reminder 7 and 3 days before and on the due date, at 09:00 in the business time zone', async () => {
      assert.deepEqual(await scenario('Africa/Nairobi', '2026-05-01T00:00:00Z', 1), ['2026-05-13T06:00:00.000Z', '2026-05-17T06:00:00.000Z', '2026-05-20T06:00:00.000Z']);
      assert.deepEqual(await scenario('Africa/Lagos', '2026-05-01T00:00:00Z', 1), ['2026-05-13T08:00:00.000Z', '2026-05-17T08:00:00.000Z', '2026-05-20T08:00:00.000Z']);
    });

    test('several workers still send each reminder once', async () => {
      assert.equal((await scenario('Africa/Kampala', '2026-05-02T00:00:00Z', 3)).length, 3);
    });

    test('a server down over a reminder day sends today’s late and never yesterday’s', async () => {
      const ctx = testCtx(store);
      ctx.clock.set('2026-05-01T00:00:00Z');
      const biz = await createBusiness(ctx, { name: 'Downtime' });
      const { invoice, customer } = await createInvoice(ctx, biz.id, { customer: { accountRef: 'DOWN-1', name: 'Amina', phone: '+254712000222' }, name: 'Fees', dueDate: '2026-05-20', items: [{ name: 'Fees', quantity: 1, unitPriceMinor: 50_000, taxRateBps: 0 }] });
      await store.db.transaction().execute((trx) => enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), invoice, customer, { businessName: biz.name, timezone: biz.timezone, language: 'en', paybill: '600000', publicUrl: 'http://x', remindersOn: true })));
      const sms = new LogSmsAdapter();
      const worker = new OutboxWorker({ store, clock: ctx.clock, channels: ['sms'], senders: { sms: smsSender(store, sms, () => ctx.clock.now()) } });
      await worker.tick();
      const texts = () => sms.sent.filter((s) => s.to === '+254712000222').map((s) => s.text.split(':')[1]!.trim().split(',')[0]);
      // Down from before the 7-day reminder (13th) until 15:00 Nairobi on the 17th, the 3-day reminder's day.
      ctx.clock.set('2026-05-17T12:00:00Z');
      while ((await worker.tick()) > 0) { /* drain */ }
      const statuses = await store.db.selectFrom('outbox_messages').select(['dedupe_key', 'status']).where('business_id', '=', biz.id).where('kind', '=', 'reminder').orderBy('dedupe_key').execute();
      assert.deepEqual(statuses.map((s) => [s.dedupe_key.split(':').at(-1), s.status]), [['0d', 'pending'], ['3d', 'delivered'], ['7d', 'cancelled']]);
      assert.deepEqual(texts(), ['Dear Amina', 'Reminder']);
    });

    test('a due date moved away and back brings its reminders back, once each', async () => {
      const ctx = testCtx(store);
      ctx.clock.set('2026-05-01T00:00:00Z');
      const biz = await createBusiness(ctx, { name: 'Moved due date' });
      const { invoice, customer } = await createInvoice(ctx, biz.id, { customer: { accountRef: 'MOVE-1', name: 'Amina', phone: '+254712000333' }, name: 'Fees', dueDate: '2026-05-20', items: [{ name: 'Fees', quantity: 1, unitPriceMinor: 50_000, taxRateBps: 0 }] });
      const context = { paybill: '600000', publicUrl: 'http://x', remindersOn: true };
      await store.db.transaction().execute((trx) => enqueueMessages(trx, ctx.clock.now(), invoiceMessages(ctx.clock.now(), invoice, customer, { ...context, businessName: biz.name, timezone: biz.timezone, language: 'en' })));
      await updateInvoice(ctx, biz.id, invoice.id, { dueDate: '2026-05-27' }, context);
      await updateInvoice(ctx, biz.id, invoice.id, { dueDate: '2026-05-20' }, context);
      const reminders = await store.db.selectFrom('outbox_messages').select(['dedupe_key', 'status']).where('business_id', '=', biz.id).where('kind', '=', 'reminder').orderBy('dedupe_key').execute();
      assert.deepEqual(reminders.map((r) => [r.dedupe_key.split(':').slice(2).join(' '), r.status]), [
        ['2026-05-20 0d', 'pending'], ['2026-05-20 3d', 'pending'], ['2026-05-20 7d', 'pending'],
        ['2026-05-27 0d', 'cancelled'], ['2026-05-27 3d', 'cancelled'], ['2026-05-27 7d', 'cancelled'],
      ]);
    });
  });
}
