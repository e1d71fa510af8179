import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { enqueueMessage } from '../../src/jobs/outbox/enqueue.js';
import { OutboxWorker } from '../../src/jobs/outbox/worker.js';
import { emailSender, smtpTransport } from '../../src/notify/email/mailer.js';
import { invoiceVars } from '../../src/services/invoices/invoice-messages.js';
import { aBusiness, anInvoice } from '../helpers/fixtures.js';
import { ENGINES, openTestStore, testCtx, type TestStore } from '../helpers/stores.js';

for (const { engine, skip } of ENGINES) {
  describe(`email with the invoice PDF over real SMTP on ${engine}`, { skip }, () => {
    let store: TestStore;
    let smtp: SMTPServer;
    let port: number;
    const received: ParsedMail[] = [];
    let rejectRecipient = '';
    before(async () => {
      store = await openTestStore(engine);
      smtp = new SMTPServer({
        authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
        onRcptTo(address, _session, callback) {
          if (address.address === rejectRecipient) return callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
          callback();
        },
        onData(stream, _session, callback) {
          simpleParser(stream).then((mail) => { received.push(mail); callback(); }, callback);
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
      port = (smtp.server.address() as AddressInfo).port;
    });
    after(async () => { await new Promise<void>((resolve) => smtp.close(() => resolve())); await store?.dispose(); });

    test('an invoice email arrives with its PDF; a refused mailbox is failed, not retried', async () => {
      const ctx = testCtx(store);
      const biz = await aBusiness(ctx);
      const { invoice, customer } = await anInvoice(ctx, biz.id, { accountRef: 'MAIL-1', customer: { accountRef: 'MAIL-1', name: 'Joan', email: 'joan@example.co.ke' } });
      const vars = invoiceVars(invoice, customer, { businessName: biz.name, timezone: biz.timezone, language: 'en', paybill: '600000', publicUrl: 'http://pay.example', remindersOn: false });
      await store.db.transaction().execute(async (trx) => {
        await enqueueMessage(trx, ctx.clock.now(), { businessId: biz.id, channel: 'email', kind: 'invoice', dedupeKey: 'mail-1', recipient: 'joan@example.co.ke', payload: { template: 'invoice', invoiceId: invoice.id, vars } });
        await enqueueMessage(trx, ctx.clock.now(), { businessId: biz.id, channel: 'email', kind: 'invoice', dedupeKey: 'mail-2', recipient: 'gone@example.co.ke', payload: { template: 'invoice', invoiceId: invoice.id, vars } });
      });
      rejectRecipient = 'gone@example.co.ke';
      const transport = smtpTransport(`smtp://127.0.0.1:${port}`);
      const worker = new OutboxWorker({ store, clock: ctx.clock, senders: { email: emailSender(store, transport, 'billing@acme.example', 'http://pay.example') } });
      await worker.tick();
      assert.equal(received.length, 1);
      const mail = received[0]!;
      assert.equal(mail.subject, `Invoice ${invoice.number} from ${biz.name}: KES 800.00 due 2026-03-31`);
      assert.match(mail.text ?? '', /Paybill 600000, Account number MAIL-1/);
      assert.equal(mail.attachments.length, 1);
      assert.equal(mail.attachments[0]!.contentType, 'application/pdf');
      assert.equal(mail.attachments[0]!.filename, `${invoice.number}.pdf`);
      assert.equal(mail.attachments[0]!.content.subarray(0, 5).toString(), '%PDF-');
      const rows = await store.db.selectFrom('outbox_messages').select(['dedupe_key', 'status', 'attempts', 'last_error']).where('channel', '=', 'email').orderBy('dedupe_key').execute();
      assert.deepEqual(rows.map((r) => [r.dedupe_key, r.status, r.attempts]), [['mail-1', 'delivered', 1], ['mail-2', 'failed', 1]]);
      assert.match(rows[1]!.last_error!, /550/);
      transport.close();
    });
  });
}
