// A load generator on its own thread (the second core), so the client does not steal the server's
// event loop: POSTs prepared JSON bodies with keep-alive, a fixed number in flight, and reports the time.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, bodies, inFlight } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(url);

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let next = 0;
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: inFlight }, async () => { while (next < bodies.length) await post(bodies[next++]); }));
parentPort.postMessage({ seconds: Number(process.hrtime.bigint() - started) / 1e9 });
agent.destroy();
