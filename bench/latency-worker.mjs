// GET load from its own thread: a fixed number of requests, `inFlight` at a time, each one timed.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { url, headers, requests, inFlight } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
const target = new URL(url);
const latenciesMs = [];

function get() {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: 'GET', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        return res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

let sent = 0;
await Promise.all(Array.from({ length: inFlight }, async () => { while (sent++ < requests) await get(); }));
latenciesMs.sort((a, b) => a - b);
const at = (q) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor(q * latenciesMs.length))];
parentPort.postMessage({ p50: at(0.5), p99: at(0.99) });
agent.destroy();
