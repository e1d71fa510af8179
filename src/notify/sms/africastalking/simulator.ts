/**
 * An Africa's Talking messaging simulator on loopback, speaking the wire format: apiKey header,
 * form body, HTTP 201 with per-recipient status codes. It can fail the next requests with 500 and
 * refuse chosen numbers with 403 InvalidPhoneNumber.
 */
import { randomBytes } from 'node:crypto';
import { startLoopbackServer, type LoopbackServer } from '../../../rails/loopback-server.js';

export class AfricasTalkingSimulator {
  readonly received: Array<{ username: string; to: string; message: string; from: string | null }> = [];
  readonly invalidNumbers = new Set<string>();
  #failNext = 0;
  #server: LoopbackServer | undefined;
  baseUrl = '';

  constructor(private readonly credentials: { username: string; apiKey: string }) {}

  failNext(count: number): void { this.#failNext = count; }

  async start(): Promise<string> {
    this.#server = await startLoopbackServer((req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.url.pathname !== '/version1/messaging' || req.method !== 'POST') return json(404, { error: 'not found' });
      if (this.#failNext > 0) { this.#failNext -= 1; return json(500, { error: 'Internal Server Error' }); }
      const form = new URLSearchParams(req.body);
      if (req.headers.apikey !== this.credentials.apiKey || form.get('username') !== this.credentials.username) return res.writeHead(401).end('The supplied authentication is invalid');
      const to = form.get('to') ?? '';
      this.received.push({ username: form.get('username')!, to, message: form.get('message') ?? '', from: form.get('from') });
      const refused = this.invalidNumbers.has(to);
      json(201, { SMSMessageData: {
        Message: refused ? 'Sent to 0/1 Total Cost: 0' : 'Sent to 1/1 Total Cost: KES 0.8000',
        Recipients: [refused
          ? { statusCode: 403, number: to, status: 'InvalidPhoneNumber', cost: '0' }
          : { statusCode: 101, number: to, status: 'Success', cost: 'KES 0.8000', messageId: `ATXid_${randomBytes(16).toString('hex')}` }],
      } });
    });
    this.baseUrl = this.#server.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }
}
