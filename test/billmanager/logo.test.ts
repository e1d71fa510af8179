import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fetchLogo } from '../../src/faces/billmanager/fetch-logo.js';
import { LOGO_BYTES_MAX } from '../../src/faces/billmanager/opt-in-body.js';
import { startLoopbackServer, type LoopbackServer } from '../../src/rails/loopback-server.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1), Buffer.from([0xff, 0xd9])]);
let server: LoopbackServer;
let port: string;

before(async () => {
  server = await startLoopbackServer((req, res) => {
    if (req.url.pathname === '/logo.jpg') return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    if (req.url.pathname === '/logo.gif') return res.writeHead(200).end('GIF89a');
    if (req.url.pathname === '/huge.jpg') return res.writeHead(200).end(Buffer.concat([JPEG, Buffer.alloc(LOGO_BYTES_MAX)]));
    if (req.url.pathname === '/moved') return res.writeHead(302, { location: '/logo.jpg' }).end();
    return res.writeHead(404).end();
  });
  port = new URL(server.baseUrl).port;
});
after(async () => { await server?.close(); });

const refusal = (pattern: RegExp) => (e: unknown) => e instanceof Error && pattern.test(e.message);

test('a logo URL is fetched once and kept only as a JPEG within 1 MB; redirects are not followed', async () => {
  assert.deepEqual(await fetchLogo(`http://localhost:${port}/logo.jpg`, true), JPEG);
  await assert.rejects(fetchLogo(`http://localhost:${port}/logo.gif`, true), refusal(/JPEG/));
  await assert.rejects(fetchLogo(`http://localhost:${port}/huge.jpg`, true), refusal(/1 MB/));
  await assert.rejects(fetchLogo(`http://localhost:${port}/missing`, true), refusal(/HTTP 404/));
  await assert.rejects(fetchLogo(`http://localhost:${port}/moved`, true), refusal(/HTTP 302/));
});

test('a logo host that resolves to a private address is refused when connecting, not only when the form is read', async () => {
  await assert.rejects(fetchLogo(`http://localhost:${port}/logo.jpg`, false), refusal(/private address/));
});
