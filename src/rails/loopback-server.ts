/** The HTTP server every simulator runs on: 127.0.0.1 only, the body read whole, a clean close. */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface LoopbackServer {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startLoopbackServer(handle: (req: SimRequest, res: ServerResponse) => unknown, port = 0): Promise<LoopbackServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = { method: req.method ?? 'GET', url: new URL(req.url ?? '/', 'http://simulator'), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      Promise.resolve(handle(request, res)).catch(() => { if (!res.headersSent) res.writeHead(500).end(); });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
