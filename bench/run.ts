/**
 * `npm run bench`: every benchmark in one run, each beside its baseline measured in the same
 * process, printed as figures and ratios. Figures depend on the machine; ratios travel better.
 */
import { benchBillManagerBulk } from './billmanager.js';
import { benchReceivables } from './receivables.js';

const pad = (text: string, width: number): string => text.padEnd(width);

async function main(): Promise<void> {
  console.log(`billmanager benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);

  console.log('Invoices created (SQLite, 1,000 invoices with 3 items each; median of 3 runs)');
  const receivables = await benchReceivables();
  const baseline = receivables[0]!.perSecond;
  for (const row of receivables) {
    console.log(`  ${pad(row.label, 62)} ${row.seconds.toFixed(3).padStart(7)} s  ${Math.round(row.perSecond).toString().padStart(7)} invoices/s  ratio ${(row.perSecond / baseline).toFixed(2)}`);
  }
  console.log(`  target: batch ≥ 0.20 of raw → ${(receivables[1]!.perSecond / baseline) >= 0.2 ? 'met' : 'NOT met'}\n`);

  console.log('Bill Manager bulk-invoicing over HTTP (1,000 invoices per call, SQLite; median of 5 calls)');
  const bulk = await benchBillManagerBulk(5);
  console.log(`  ${pad('one call end to end', 62)} ${(bulk.medianMs / 1000).toFixed(3).padStart(7)} s  ${String(bulk.invoicesPerS).padStart(7)} invoices/s  ratio ${(bulk.invoicesPerS / baseline).toFixed(2)} of raw inserts`);
  console.log(`  target: under 250 ms → ${bulk.medianMs < 250 ? 'met' : 'NOT met'} (${bulk.medianMs.toFixed(0)} ms)`);
}

await main();
