/**
 * `npm run bench`: every benchmark in one run, each beside its baseline measured in the same
 * process, printed as figures and ratios. Figures depend on the machine; ratios travel better.
 */
import { benchBillManagerBulk } from './billmanager.js';
import { benchReceivables } from './receivables.js';
import { benchC2bIngest } from './c2b.js';
import { benchNotify } from './notify.js';
import { benchBillPayments } from './payables.js';
import { benchInvoiceList } from './native.js';
import { benchMomoPolling } from './momo.js';

const pad = (text: string, width: number): string => text.padEnd(width);
/** Figures for display (rates, ratios, milliseconds), never money. */
const fixed = (value: number, digits: number): string => value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });

async function main(): Promise<void> {
  console.log(`billmanager benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);

  console.log('Invoices created (SQLite, 1,000 invoices with 3 items each; median of 3 runs)');
  const receivables = await benchReceivables();
  const baseline = receivables[0]!.perSecond;
  for (const row of receivables) {
    console.log(`  ${pad(row.label, 62)} ${fixed(row.seconds, 3).padStart(7)} s  ${Math.round(row.perSecond).toString().padStart(7)} invoices/s  ratio ${fixed((row.perSecond / baseline), 2)}`);
  }
  console.log(`  target: batch ≥ 0.20 of raw → ${(receivables[1]!.perSecond / baseline) >= 0.2 ? 'met' : 'NOT met'}\n`);

  console.log('Bill Manager bulk-invoicing over HTTP (1,000 invoices per call, SQLite; median of 5 calls)');
  const bulk = await benchBillManagerBulk(5);
  console.log(`  ${pad('one call end to end', 62)} ${fixed((bulk.medianMs / 1000), 3).padStart(7)} s  ${String(bulk.invoicesPerS).padStart(7)} invoices/s  ratio ${fixed((bulk.invoicesPerS / baseline), 2)} of raw inserts`);
  console.log(`  target: under 250 ms → ${bulk.medianMs < 250 ? 'met' : 'NOT met'} (${fixed(bulk.medianMs, 0)} ms)\n`);

  console.log('Outbox delivery to a local HTTP stub (SQLite, 2,000 messages, one worker) and PDF rendering');
  const notify = await benchNotify();
  console.log(`  ${pad('bare HTTP POSTs to the stub (baseline)', 62)} ${Math.round(notify.rawPerSecond).toString().padStart(17)} messages/s`);
  console.log(`  ${pad('through the outbox (claim, POST, record under the lease)', 62)} ${Math.round(notify.outboxPerSecond).toString().padStart(17)} messages/s  ratio ${fixed((notify.outboxPerSecond / notify.rawPerSecond), 2)}`);
  console.log(`  ${pad('invoice PDFs rendered (10 items, QR code)', 62)} ${Math.round(notify.pdfsPerSecond).toString().padStart(17)} PDFs/s\n`);

  console.log('Bill payments with WHT through the payables API (SQLite, 1,000 payments, one at a time)');
  const ap = await benchBillPayments();
  console.log(`  ${pad('raw better-sqlite3 inserts of the same rows (baseline)', 62)} ${Math.round(ap.rawPerSecond).toString().padStart(17)} payments/s`);
  console.log(`  ${pad('POST /v1/bills/{id}/payments', 62)} ${Math.round(ap.apiPerSecond).toString().padStart(17)} payments/s  ratio ${fixed((ap.apiPerSecond / ap.rawPerSecond), 2)}\n`);

  console.log('Invoice list latency (SQLite, 100,000 invoices, 50 concurrent clients, 2,000 requests each)');
  const list = await benchInvoiceList();
  console.log(`  ${pad('bare Fastify route (baseline)', 62)} p50 ${fixed(list.bare.p50, 1).padStart(6)} ms  p99 ${fixed(list.bare.p99, 1).padStart(6)} ms`);
  console.log(`  ${pad('GET /api/admin/invoices/pending?limit=50', 62)} p50 ${fixed(list.list.p50, 1).padStart(6)} ms  p99 ${fixed(list.list.p99, 1).padStart(6)} ms  p50 ratio ${fixed((list.list.p50 / list.bare.p50), 1)}×\n`);

  console.log('MTN MoMo status polling (SQLite, 10,000 pending MoMo invoices against the simulator, 16 at a time)');
  const momo = await benchMomoPolling(10_000);
  console.log(`  ${pad('bare status GETs to the simulator (baseline)', 62)} ${Math.round(momo.rawPerSecond).toString().padStart(17)} polls/s`);
  console.log(`  ${pad('poll job: claim, GET status, record the answer', 62)} ${Math.round(momo.pollsPerSecond).toString().padStart(17)} polls/s  ratio ${fixed((momo.pollsPerSecond / momo.rawPerSecond), 2)}\n`);

  console.log('C2B confirmations ingested and matched over HTTP (SQLite, 6,000 confirmations after 1,000 to warm up, 16 in flight from a second thread)');
  const small = await benchC2bIngest(10_000);
  const large = await benchC2bIngest(Number(process.env.BENCH_C2B_LARGE ?? 1_000_000));
  for (const row of [small, large]) {
    console.log(`  ${pad(`bare Fastify route, same bodies (baseline beside ${row.openInvoices.toLocaleString('en')})`, 62)} ${Math.round(row.barePerSecond).toString().padStart(17)} requests/s`);
    console.log(`  ${pad(`with ${row.openInvoices.toLocaleString('en')} open invoices`, 62)} ${Math.round(row.perSecond).toString().padStart(17)} confirmations/s  ratio ${fixed(row.ratio, 2)}`);
  }
  const drop = 1 - large.perSecond / small.perSecond;
  console.log(`  difference: ${fixed((drop * 100), 0)}% (target < 20%: ${drop < 0.2 ? 'met' : 'NOT met'}); target ≥ 2,000/s: ${small.perSecond >= 2000 ? 'met' : 'NOT met'}`);
}

await main();
