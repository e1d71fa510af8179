import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import { AppError } from '../../src/domain/errors.js';
import { parseMajor } from '../../src/domain/money.js';
import { MomoClient, validitySeconds, VALIDITY_MAX_S } from '../../src/rails/momo/momo-client.js';
import { MomoSimulator } from '../../src/rails/momo/momo-simulator.js';
import { featurePhoneInstructions, momoUssdString } from '../../src/rails/momo/ussd.js';

const creds = { subscriptionKey: 'sub-key', apiUser: randomUUID(), apiKey: 'api-key' };
let sim: MomoSimulator;
let client: MomoClient;
before(async () => {
  sim = new MomoSimulator(creds);
  await sim.start();
  client = new MomoClient({ baseUrl: sim.baseUrl, ...creds, targetEnvironment: 'mtnuganda' }, new ManualClock('2026-05-01T00:00:00Z'));
});
after(async () => { await sim?.stop(); });

test('an invoice gets a payment reference; a retried create with the same id is not a second invoice', async () => {
  const referenceId = randomUUID();
  const input = { referenceId, externalId: 'inv_1', amountText: '50000', currency: 'UGX', validitySeconds: 3600, payerMsisdn: '256772123456', description: 'School fees' };
  await client.createInvoice(input);
  await client.createInvoice(input);
  assert.equal(sim.invoices.size, 1);
  const status = await client.invoiceStatus(referenceId);
  assert.equal(status.status, 'PENDING');
  assert.match(status.paymentReference!, /^\d{8}$/);
  assert.equal(parseMajor(status.amountText, 'UGX'), 50_000, 'UGX has no minor unit');
  await sim.pay(status.paymentReference!, { callback: 'none' });
  assert.equal((await client.invoiceStatus(referenceId)).status, 'SUCCESSFUL', 'a dropped callback is still seen by polling');
});

test('a cancelled invoice reads FAILED with its reason; a server error is a provider error', async () => {
  const referenceId = randomUUID();
  await client.createInvoice({ referenceId, externalId: 'inv_2', amountText: '10.50', currency: 'EUR', validitySeconds: 3600, payerMsisdn: '46733123453', description: 'Sandbox' });
  await client.cancelInvoice(referenceId, 'inv_2');
  const status = await client.invoiceStatus(referenceId);
  assert.deepEqual([status.status, status.errorReason], ['FAILED', 'CANCELLED Invoice cancelled']);
  assert.equal(parseMajor(status.amountText, 'EUR'), 1_050);
  sim.failNext(1);
  await assert.rejects(client.invoiceStatus(referenceId), (e: unknown) => e instanceof AppError && e.code === 'provider_error');
});

test('validity follows the due date, capped by MTN’s limit; the USSD string follows the market prefix', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  assert.equal(validitySeconds(now, new Date('2026-05-02T00:00:00Z')), 86_400);
  assert.equal(validitySeconds(now, new Date('2027-01-01T00:00:00Z')), VALIDITY_MAX_S);
  assert.equal(momoUssdString('*165*3', '12345678'), '*165*3*12345678*1#');
  assert.match(featurePhoneInstructions('*165*3', '12345678'), /enter 12345678/);
  assert.throws(() => momoUssdString('165', '1'), (e: unknown) => e instanceof AppError);
});
