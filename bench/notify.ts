/**
 * Outbox messages delivered per second to a local HTTP stub (claim, POST, record under the lease),
 * beside bare HTTP POSTs to the same stub from the same loop as the baseline; and invoice PDFs
 * rendered per second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/domain/clock.js';
import { invoiceView } from '../src/documents/invoice-view.js';
import { renderInvoicePdf } from '../src/documents/invoice-pdf.js';
import { enqueueMessages } from '../src/jobs/outbox/enqueue.js';
import { OutboxWorker } from '../src/jobs/outbox/worker.js';
import { postJson } from '../src/notify/webhook/post-json.js';
import { createBusiness } from '../src/services/businesses/create-business.js';
import { createInvoice } from '../src/services/invoices/create-invoices.js';
import { migrateToLatest, openStore } from '../src/storage/database.js';

export async function benchNotify(messages = 2000, pdfs = 50) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-notify-'));
  const store = openStore(`sqlite:${join(dir, 'bench.db')}`);
  const stub = createServer((req, res) => { req.resume(); req.on('end', () => res.writeHead(200).end('{}')); });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/hook`;
  try {
    await migrateToLatest(store);
    const clock = new ManualClock('2026-04-01T06:00:00Z');
    const ctx = { store, clock, actor: { type: 'system' as const, id: 'bench' } };
    const business = await createBusiness(ctx, { name: 'Bench', shortcode: '600002' });

    let started = process.hrtime.bigint();
    for (let i = 0; i < messages; i++) await postJson(url, '{"n":1}', {}, { allowPrivate: true });
    const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    await store.db.transaction().execute((trx) => enqueueMessages(trx, clock.now(), Array.from({ length: messages }, (_, i) => ({
      businessId: business.id, channel: 'webhook' as const, kind: 'bench', dedupeKey: `b${i}`, recipient: url, payload: { n: i },
    }))));
    const worker = new OutboxWorker({ store, clock, batchSize: 100, senders: { webhook: (m) => postJson(m.recipient, m.payload_json, {}, { allowPrivate: true }) } });
    started = process.hrtime.bigint();
    while ((await worker.tick()) > 0) { /* until the outbox is empty */ }
    const outboxSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const { invoice } = await createInvoice(ctx, business.id, { customer: { accountRef: 'PDF-1', name: 'Joan Doe' }, name: 'Rent', dueDate: '2026-04-30',
      items: Array.from({ length: 10 }, (_, i) => ({ name: `Item ${i}`, quantity: 1 + i, unitPriceMinor: 12_345 * (i + 1), taxRateBps: 1600 })) });
    const view = await invoiceView(store.db, business.id, invoice.id, 'http://127.0.0.1:8080');
    await renderInvoicePdf(view);
    started = process.hrtime.bigint();
    for (let i = 0; i < pdfs; i++) await renderInvoicePdf(view);
    const pdfSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { messages, rawPerSecond: messages / rawSeconds, outboxPerSecond: messages / outboxSeconds, pdfsPerSecond: pdfs / pdfSeconds };
  } finally {
    await new Promise<void>((resolve) => stub.close(() => resolve()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
