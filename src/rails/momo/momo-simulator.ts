/**
 * An MTN MoMo Collection simulator on loopback: token (Basic), invoice create (202, 409 on a reused
 * X-Reference-Id), status (200 with CREATED/PENDING/SUCCESSFUL/FAILED and a payment reference),
 * cancel, and a control API to pay a reference (with or without the callback, as PUT or POST) and
 * to fail the next calls.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server.js';

interface SimInvoice { referenceId: string; externalId: string; amount: string; currency: string; status: 'CREATED' | 'PENDING' | 'SUCCESSFUL' | 'FAILED'; paymentReference: string; expiresAtMs: number; callbackUrl: string | null; cancelled: boolean }

export class MomoSimulator {
  readonly invoices = new Map<string, SimInvoice>();
  readonly callbacks: Array<{ referenceId: string; method: string; status: number }> = [];
  #tokens = new Set<string>();
  #failNext = 0;
  #server: LoopbackServer | undefined;
  baseUrl = '';

  constructor(private readonly credentials: { subscriptionKey: string; apiUser: string; apiKey: string }, private readonly now: () => number = Date.now) {}

  failNext(count: number): void { this.#failNext = count; }

  async start(): Promise<string> {
    this.#server = await startLoopbackServer((req, res) => {
      const json = (status: number, body?: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
      if (req.headers['ocp-apim-subscription-key'] !== this.credentials.subscriptionKey) return json(401, { statusCode: 401, message: 'Access denied due to invalid subscription key.' });
      if (this.#failNext > 0) { this.#failNext -= 1; return json(500, { code: 'INTERNAL_PROCESSING_ERROR' }); }
      const url = req.url;
      if (url.pathname === '/collection/token/' && req.method === 'POST') {
        const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
        if (basic !== `${this.credentials.apiUser}:${this.credentials.apiKey}`) return json(401, { error: 'login_failed' });
        const token = randomBytes(24).toString('hex');
        this.#tokens.add(token);
        return json(200, { access_token: token, token_type: 'access_token', expires_in: 3600 });
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!this.#tokens.has(bearer)) return json(401, { code: 'INVALID_TOKEN' });
      const body = req.body ? JSON.parse(req.body) as Record<string, unknown> : {};
      if (url.pathname === '/collection/v2_0/invoice' && req.method === 'POST') {
        const referenceId = String(req.headers['x-reference-id'] ?? '');
        if (!/^[0-9a-f-]{36}$/i.test(referenceId)) return json(400, { code: 'INVALID_REFERENCE_ID' });
        if (this.invoices.has(referenceId)) return json(409, { code: 'RESOURCE_ALREADY_EXIST', message: 'Duplicated reference id. Creation of resource failed.' });
        this.invoices.set(referenceId, { referenceId, externalId: String(body.externalId), amount: String(body.amount), currency: String(body.currency), status: 'PENDING',
          paymentReference: String(Math.floor(this.now() / 1000) % 100_000_000).padStart(8, '0'), expiresAtMs: this.now() + Number(body.validityDuration) * 1000,
          callbackUrl: req.headers['x-callback-url'] ? String(req.headers['x-callback-url']) : null, cancelled: false });
        return json(202);
      }
      const match = /^\/collection\/v2_0\/invoice\/([^/]+)$/.exec(url.pathname);
      const invoice = match ? this.invoices.get(decodeURIComponent(match[1]!)) : undefined;
      if (match && req.method === 'GET') {
        if (!invoice) return json(404, { code: 'RESOURCE_NOT_FOUND' });
        if (invoice.status === 'PENDING' && this.now() > invoice.expiresAtMs) invoice.status = 'FAILED';
        return json(200, this.statusBody(invoice));
      }
      if (match && req.method === 'DELETE') {
        if (!invoice) return json(404, { code: 'RESOURCE_NOT_FOUND' });
        invoice.cancelled = true;
        invoice.status = 'FAILED';
        return json(200);
      }
      return json(404, { code: 'RESOURCE_NOT_FOUND' });
    });
    this.baseUrl = this.#server.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }

  private statusBody(i: SimInvoice) {
    return { referenceId: i.referenceId, externalId: i.externalId, amount: i.amount, currency: i.currency, status: i.status, paymentReference: i.paymentReference, invoiceId: randomUUID(),
      expiryDateTime: new Date(i.expiresAtMs).toISOString(), ...(i.cancelled ? { errorReason: { code: 'CANCELLED', message: 'Invoice cancelled' } } : {}) };
  }

  /** The payer pays the reference at their phone; the callback may be dropped so only polling sees it. */
  async pay(paymentReference: string, opts: { callback?: 'PUT' | 'POST' | 'none' } = {}): Promise<void> {
    const invoice = [...this.invoices.values()].find((i) => i.paymentReference === paymentReference && i.status === 'PENDING');
    if (!invoice) throw new Error(`no payable invoice with reference ${paymentReference}`);
    invoice.status = 'SUCCESSFUL';
    const method = opts.callback ?? 'PUT';
    if (method === 'none' || !invoice.callbackUrl) return;
    const res = await fetch(invoice.callbackUrl, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(this.statusBody(invoice)) });
    this.callbacks.push({ referenceId: invoice.referenceId, method, status: res.status });
  }
}
