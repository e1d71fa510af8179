/**
 * An MTN MoMo Collection simulator on loopback, speaking specs/momo.md: sandbox provisioning (API
 * user and key), token (Basic), invoices (v2_0: create 202, 409 on a reused X-Reference-Id, status
 * 200 with CREATED/PENDING/SUCCESSFUL/FAILED and a payment reference, cancel), request-to-pay
 * (v1_0), and a control API to pay a reference or approve a request, with the callback sent as PUT
 * or POST or dropped, and to fail the next calls. Sandbox accepts EUR only, as MTN's does.
 */
import { randomBytes } from 'node:crypto';
import { startLoopbackServer, type LoopbackServer, type SimRequest } from '../loopback-server.js';

type State = 'CREATED' | 'PENDING' | 'SUCCESSFUL' | 'FAILED';
interface SimInvoice { referenceId: string; externalId: string; amount: string; currency: string; status: State; paymentReference: string; expiresAtMs: number; callbackUrl: string | null; cancelled: boolean }
interface SimRequestToPay { referenceId: string; externalId: string; amount: string; currency: string; payer: string; status: State; reason: string | null; financialTransactionId: string | null; callbackUrl: string | null }
type Callback = 'PUT' | 'POST' | 'none';

export class MomoSimulator {
  readonly invoices = new Map<string, SimInvoice>();
  readonly requests = new Map<string, SimRequestToPay>();
  readonly callbacks: Array<{ referenceId: string; method: string; status: number }> = [];
  /** Status reads answered, for the polling benchmark. */
  statusReads = 0;
  #users = new Map<string, string | null>();
  #tokens = new Set<string>();
  #failNext = 0;
  #nextReference = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  #server: LoopbackServer | undefined;
  baseUrl = '';

  constructor(private readonly credentials: { subscriptionKey: string; apiUser: string; apiKey: string }, private readonly now: () => number = Date.now, private readonly port = 0) {
    this.#users.set(credentials.apiUser, credentials.apiKey);
  }

  failNext(count: number): void { this.#failNext = count; }

  async start(): Promise<string> {
    this.#server = await startLoopbackServer(async (req, res) => {
      const json = (status: number, body?: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(body === undefined ? '' : JSON.stringify(body));
      // The control API: a payer "pays" a reference from their phone (for the demo and scripts).
      if (req.url.pathname === '/simulator/momo/pay' && req.method === 'POST') {
        const body = JSON.parse(req.body || '{}') as { paymentReference?: string; callback?: Callback };
        try {
          await this.pay(String(body.paymentReference ?? ''), { callback: body.callback });
          return json(200, { paid: body.paymentReference });
        } catch (error) {
          return json(404, { error: error instanceof Error ? error.message : String(error) });
        }
      }
      const answer = this.handle(req);
      json(answer.status, answer.body);
    }, this.port);
    this.baseUrl = this.#server.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }

  private handle(req: SimRequest): { status: number; body?: unknown } {
    if (req.headers['ocp-apim-subscription-key'] !== this.credentials.subscriptionKey) return { status: 401, body: { statusCode: 401, message: 'Access denied due to invalid subscription key.' } };
    if (this.#failNext > 0) { this.#failNext -= 1; return { status: 500, body: { code: 'INTERNAL_PROCESSING_ERROR' } }; }
    const path = req.url.pathname;
    const referenceId = String(req.headers['x-reference-id'] ?? '');
    if (path === '/v1_0/apiuser' && req.method === 'POST') {
      if (!isUuid(referenceId)) return { status: 400, body: { code: 'INVALID_REFERENCE_ID' } };
      if (this.#users.has(referenceId)) return { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST' } };
      this.#users.set(referenceId, null);
      return { status: 201 };
    }
    const apiKeyPath = /^\/v1_0\/apiuser\/([^/]+)\/apikey$/.exec(path);
    if (apiKeyPath && req.method === 'POST') {
      if (!this.#users.has(apiKeyPath[1]!)) return { status: 404, body: { code: 'RESOURCE_NOT_FOUND' } };
      const apiKey = randomBytes(16).toString('hex');
      this.#users.set(apiKeyPath[1]!, apiKey);
      return { status: 201, body: { apiKey } };
    }
    if (path === '/collection/token/' && req.method === 'POST') {
      const [user, key] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic\s+/i, ''), 'base64').toString('utf8').split(':');
      if (!user || !key || this.#users.get(user) !== key) return { status: 401, body: { error: 'login_failed' } };
      const token = randomBytes(24).toString('hex');
      this.#tokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'access_token', expires_in: 3600 } };
    }
    if (!this.#tokens.has((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''))) return { status: 401, body: { code: 'INVALID_TOKEN' } };
    const environment = String(req.headers['x-target-environment'] ?? '');
    if (!environment) return { status: 400, body: { code: 'INVALID_TARGET_ENVIRONMENT' } };
    const body = req.body ? JSON.parse(req.body) as Record<string, unknown> : {};
    const callbackUrl = req.headers['x-callback-url'] ? String(req.headers['x-callback-url']) : null;
    const creating = req.method === 'POST' && (path === '/collection/v2_0/invoice' || path === '/collection/v1_0/requesttopay');
    if (creating) {
      if (!isUuid(referenceId)) return { status: 400, body: { code: 'INVALID_REFERENCE_ID' } };
      if (this.invoices.has(referenceId) || this.requests.has(referenceId)) return { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST', message: 'Duplicated reference id. Creation of resource failed.' } };
      if (environment === 'sandbox' && body.currency !== 'EUR') return { status: 500, body: { code: 'NOT_ALLOWED', message: 'Currency not supported.' } };
      if (!/^\d+(\.\d+)?$/.test(String(body.amount ?? ''))) return { status: 400, body: { code: 'INVALID_AMOUNT' } };
    }
    if (creating && path === '/collection/v2_0/invoice') {
      this.invoices.set(referenceId, { referenceId, externalId: String(body.externalId), amount: String(body.amount), currency: String(body.currency), status: 'PENDING',
        paymentReference: String(this.#nextReference++), expiresAtMs: this.now() + Number(body.validityDuration) * 1000, callbackUrl, cancelled: false });
      return { status: 202 };
    }
    if (creating) {
      const payer = (body.payer as { partyId?: string } | undefined)?.partyId ?? '';
      this.requests.set(referenceId, { referenceId, externalId: String(body.externalId), amount: String(body.amount), currency: String(body.currency), payer, status: 'PENDING', reason: null, financialTransactionId: null, callbackUrl });
      return { status: 202 };
    }
    const invoiceMatch = /^\/collection\/v2_0\/invoice\/([^/]+)$/.exec(path);
    if (invoiceMatch) {
      const invoice = this.invoices.get(decodeURIComponent(invoiceMatch[1]!));
      if (!invoice) return { status: 404, body: { code: 'RESOURCE_NOT_FOUND' } };
      if (req.method === 'GET') {
        this.statusReads += 1;
        if (invoice.status === 'PENDING' && this.now() > invoice.expiresAtMs) invoice.status = 'FAILED';
        return { status: 200, body: this.invoiceBody(invoice) };
      }
      if (req.method === 'DELETE') {
        if (invoice.status === 'PENDING') { invoice.cancelled = true; invoice.status = 'FAILED'; }
        return { status: 200 };
      }
    }
    const rtpMatch = /^\/collection\/v1_0\/requesttopay\/([^/]+)$/.exec(path);
    if (rtpMatch && req.method === 'GET') {
      const request = this.requests.get(decodeURIComponent(rtpMatch[1]!));
      if (!request) return { status: 404, body: { code: 'RESOURCE_NOT_FOUND' } };
      this.statusReads += 1;
      return { status: 200, body: this.requestBody(request) };
    }
    return { status: 404, body: { code: 'RESOURCE_NOT_FOUND' } };
  }

  private invoiceBody(i: SimInvoice) {
    const expired = !i.cancelled && i.status === 'FAILED';
    return { referenceId: i.referenceId, externalId: i.externalId, amount: i.amount, currency: i.currency, status: i.status, paymentReference: i.paymentReference, invoiceId: i.referenceId,
      expiryDateTime: new Date(i.expiresAtMs).toISOString(), payeeFirstName: 'Sim', payeeLastName: 'Payee', description: 'invoice',
      ...(i.cancelled ? { errorReason: { code: 'CANCELLED', message: 'Invoice cancelled' } } : expired ? { errorReason: { code: 'EXPIRED', message: 'Invoice expired' } } : {}) };
  }

  private requestBody(r: SimRequestToPay) {
    return { financialTransactionId: r.financialTransactionId ?? undefined, externalId: r.externalId, amount: r.amount, currency: r.currency, payer: { partyIdType: 'MSISDN', partyId: r.payer },
      payerMessage: 'pay', payeeNote: 'pay', status: r.status, ...(r.reason ? { reason: r.reason } : {}) };
  }

  private async callback(url: string | null, referenceId: string, method: Callback, body: unknown): Promise<void> {
    if (method === 'none' || !url) return;
    const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    this.callbacks.push({ referenceId, method, status: res.status });
  }

  /** The payer pays the reference at their phone; the callback may be dropped so only polling sees it. */
  async pay(paymentReference: string, opts: { callback?: Callback } = {}): Promise<void> {
    const invoice = [...this.invoices.values()].find((i) => i.paymentReference === paymentReference && i.status === 'PENDING' && this.now() <= i.expiresAtMs);
    if (!invoice) throw new Error(`no payable invoice with reference ${paymentReference}`);
    invoice.status = 'SUCCESSFUL';
    await this.callback(invoice.callbackUrl, invoice.referenceId, opts.callback ?? 'PUT', this.invoiceBody(invoice));
  }

  /** The payer answers the request-to-pay prompt on their phone. */
  async answer(referenceId: string, approve: boolean, opts: { callback?: Callback } = {}): Promise<void> {
    const request = this.requests.get(referenceId);
    if (!request || request.status !== 'PENDING') throw new Error(`no pending request ${referenceId}`);
    request.status = approve ? 'SUCCESSFUL' : 'FAILED';
    request.reason = approve ? null : 'APPROVAL_REJECTED';
    request.financialTransactionId = approve ? String(Math.floor(Math.random() * 1e9)).padStart(9, '0') : null;
    await this.callback(request.callbackUrl, referenceId, opts.callback ?? 'POST', this.requestBody(request));
  }

  /** Sends the same callback again, as MTN sometimes does. */
  async resendCallback(referenceId: string, method: Exclude<Callback, 'none'> = 'PUT'): Promise<void> {
    const invoice = this.invoices.get(referenceId);
    if (invoice) return this.callback(invoice.callbackUrl, referenceId, method, this.invoiceBody(invoice));
    const request = this.requests.get(referenceId);
    if (request) return this.callback(request.callbackUrl, referenceId, method, this.requestBody(request));
  }

}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
