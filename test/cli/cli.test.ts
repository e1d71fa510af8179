import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, test } from 'node:test';
import { MomoSimulator } from '../../src/rails/momo/momo-simulator.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'billmanager-cli-'));
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}` };
const cli = (...args: string[]) => run(process.execPath, ['bin/billmanager.js', ...args], { env, cwd: process.cwd() });

after(() => rmSync(dir, { recursive: true, force: true }));

test('--help lists every command', async () => {
  const { stdout } = await cli('--help');
  for (const command of ['serve', 'migrate', 'business', 'token', 'app', 'ledger', 'rails']) assert.match(stdout, new RegExp(`\\b${command}\\b`));
});

test('a business, an admin token and an app can be created from the command line, with --json for scripts', async () => {
  const { stdout: id } = await cli('business', 'create', '--name', 'Acme Water', '--shortcode', '654321');
  assert.match(id.trim(), /^biz_[0-9A-Z]{26}$/);
  const token = JSON.parse((await cli('token', 'create', '--business', id.trim(), '--role', 'admin', '--json')).stdout);
  assert.match(token.token, /^bm_/);
  assert.equal(token.role, 'admin');
  const app = JSON.parse((await cli('app', 'create', '--business', id.trim(), '--json')).stdout);
  assert.match(app.consumer_key, /^[A-Za-z0-9]{48}$/);
  const verify = JSON.parse((await cli('ledger', 'verify', '--business', id.trim(), '--json')).stdout);
  assert.equal(verify.ok, true);
});

test('bad input exits non-zero with a message naming the problem', async () => {
  await assert.rejects(cli('business', 'create', '--name', 'X', '--shortcode', '12'), (e: { code: number; stderr: string }) => e.code === 2 && /shortcode/.test(e.stderr));
  await assert.rejects(cli('business', 'create', '--name', 'Y', '--shortcode', '654321'), (e: { stderr: string }) => /already belongs/.test(e.stderr));
  await assert.rejects(cli('token', 'create', '--business', 'biz_nope', '--role', 'admin'), (e: { stderr: string }) => /business not found/.test(e.stderr));
});

test('rail settings from the command line: M-PESA and MTN MoMo (checked against the simulator), secrets never printed', async () => {
  const sim = new MomoSimulator({ subscriptionKey: 'cli-sub', apiUser: randomUUID(), apiKey: 'cli-key' });
  await sim.start();
  try {
    const keyed = { ...env, BILLMANAGER_DATA_KEYS: `cli:${Buffer.alloc(32, 9).toString('base64')}` };
    const rails = (...args: string[]) => run(process.execPath, ['bin/billmanager.js', 'rails', ...args], { env: keyed, cwd: process.cwd() });
    const { stdout: id } = await cli('business', 'create', '--name', 'Rail Co', '--currency', 'UGX', '--country', 'UG');
    const mpesa = JSON.parse((await rails('mpesa', 'set', '--business', id.trim(), '--shortcode', '600321', '--consumer-key', 'ck', '--consumer-secret', 'cs-secret', '--passkey', 'pk-secret', '--json')).stdout);
    assert.deepEqual([mpesa.shortcode, mpesa.has_passkey, mpesa.environment], ['600321', true, 'sandbox']);
    const momo = await rails('momo', 'set', '--business', id.trim(), '--subscription-key', 'cli-sub', '--environment', 'sandbox', '--base-url', sim.baseUrl, '--json');
    const shown = JSON.parse(momo.stdout);
    assert.deepEqual([shown.environment, shown.currency, shown.ussd_prefix, shown.enabled], ['sandbox', 'EUR', '*165*3', true]);
    assert.match(shown.api_user, /^[0-9a-f-]{36}$/, 'provisioned in the sandbox');
    const again = (await rails('momo', 'show', '--business', id.trim())).stdout;
    assert.match(again, new RegExp(`api_user: ${shown.api_user}`));
    assert.equal(/cli-sub|cs-secret|pk-secret/.test(momo.stdout + again), false);
    await assert.rejects(rails('momo', 'set', '--business', id.trim(), '--subscription-key', 'wrong', '--environment', 'sandbox', '--base-url', sim.baseUrl), (e: { code: number }) => e.code !== 0);
  } finally {
    await sim.stop();
  }
});
