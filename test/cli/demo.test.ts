import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { startDemo } from '../../src/cli/demo.js';
import { buildApp } from '../../src/server/app.js';
import { TEST_KEYS } from '../helpers/app.js';
import { openTestStore, testCtx, type TestStore } from '../helpers/stores.js';
import { loadConfig } from '../../src/config.js';

let store: TestStore;
let app: Awaited<ReturnType<typeof buildApp>>;
let demo: { stop(): Promise<void> } | undefined;
const lines: string[] = [];

before(async () => {
  store = await openTestStore('sqlite');
  const ctx = testCtx(store);
  app = await buildApp({ store, keys: TEST_KEYS, clock: ctx.clock, logLevel: false, config: { ...loadConfig({}), port: 0, databaseUrl: store.url } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  app.services.config.publicUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const log = { info: (message: string) => { lines.push(message); } } as unknown as FastifyBaseLogger;
  demo = await startDemo(ctx, TEST_KEYS, app.services.config, log);
});
after(async () => { await demo?.stop(); await app?.close(); await store?.dispose(); });

/** The printed `curl -s -X POST <url> … -d '<json>'` commands, run as a newcomer would. */
function printedCurl(label: string): { url: string; body: string } {
  const line = lines.join('\n').split('\n').find((l) => l.includes(label))!;
  const match = /curl -s -X POST (\S+) .* -d '([^']+)'/.exec(line);
  assert.ok(match, `no curl after "${label}"`);
  return { url: match[1]!, body: match[2]! };
}

test('npm start’s demo: the printed commands pay the M-PESA invoice through the Daraja simulator and the MoMo invoice through the MoMo simulator', async () => {
  for (const label of ['pay it from "M-PESA"', 'pay it from "MoMo"']) {
    const { url, body } = printedCurl(label);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200, await res.text());
  }
  const invoices = await store.db.selectFrom('invoices').innerJoin('businesses', 'businesses.id', 'invoices.business_id').select(['businesses.name', 'invoices.status', 'invoices.currency']).execute();
  assert.deepEqual(invoices.map((i) => [i.name, i.currency, i.status]).sort(), [['Demo Business', 'KES', 'paid'], ['Demo School', 'UGX', 'paid']]);
  const page = lines.join('\n').match(/the invoice page:\s+(\S+) \(USSD string (\S+)/)!;
  assert.ok((await (await fetch(page[1]!)).text()).includes('paid'));
  assert.match(page[2]!, /^\*165\*3\*\d+\*1#$/);
});
