/**
 * A Daraja simulator speaking the wire format of specs/daraja.md, for tests and for a sandbox that
 * needs no Safaricom account: OAuth, C2B URL registration, a customer paying a paybill (validation,
 * then confirmation with Daraja's retries and its occasional duplicate), STK push with its callback,
 * and STK query. Driven in-process or over HTTP (POST /simulator/c2b/pay).
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { startLoopbackServer, type LoopbackServer, type SimRequest } from '../loopback-server.js';
import { formatMajor } from '../../domain/money.js';
import { darajaTimestamp, stkPassword } from './stk-password.js';

export interface SimulatorOptions {
  apps: Array<{ consumerKey: string; consumerSecret: string }>;
  passkeys?: Record<string, string>;
  /** Shortcodes for which Daraja calls the validation URL before confirming. */
  externalValidation?: string[];
  confirmationTriesMax?: number;
  retryDelayMs?: number;
  stkCallbackDelayMs?: number;
  port?: number;
  maskMsisdn?: boolean;
}

export type StkOutcome = { resultCode: 0 } | { resultCode: 1 | 1032 | 1037 | 2001 } | 'no-callback';

interface StkRequest { checkoutRequestId: string; merchantRequestId: string; shortcode: string; amount: number; phone: string; callbackUrl: string; accountReference: string; result?: { resultCode: number; resultDesc: string } }

export interface Delivery { url: string; kind: 'validation' | 'confirmation' | 'stk'; status: number; body: unknown; reply: string }

const DESCRIPTIONS: Record<number, string> = { 0: 'The service request is processed successfully.', 1: 'The balance is insufficient for the transaction.', 1032: 'Request cancelled by user', 1037: 'DS timeout user cannot be reached', 2001: 'The initiator information is invalid.' };

const transId = (): string => Array.from(randomBytes(10), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[b % 36]).join('');

export class DarajaSimulator {
  readonly deliveries: Delivery[] = [];
  readonly tokenRequests: number[] = [];
  readonly registrations = new Map<string, { confirmationUrl: string; validationUrl: string; responseType: string }>();
  readonly stk = new Map<string, StkRequest>();
  #tokens = new Map<string, number>();
  #server: LoopbackServer | undefined;
  #stkOutcomes: StkOutcome[] = [];
  #confirmationFailures = 0;
  baseUrl = '';

  constructor(private readonly opts: SimulatorOptions, private readonly now: () => number = Date.now) {}

  async start(): Promise<string> {
    this.#server = await startLoopbackServer((req, res) => this.handle(req, res), this.opts.port ?? 0);
    this.baseUrl = this.#server.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }

  /** Every token issued so far stops working, as when Daraja expires them early. */
  expireTokens(): void { this.#tokens.clear(); }
  /** The next STK pushes end this way (default: paid). */
  queueStkOutcomes(...outcomes: StkOutcome[]): void { this.#stkOutcomes.push(...outcomes); }
  /** The next N confirmation deliveries are treated as failed regardless of our answer (network loss). */
  dropConfirmations(count: number): void { this.#confirmationFailures = count; }

  /** A customer pays a paybill: validation (when enabled), then confirmation with retries. */
  async payBill(p: { shortcode: string; accountReference: string; amountMinor: number; msisdn?: string; firstName?: string; duplicate?: boolean; transId?: string }): Promise<{ transId: string; accepted: boolean; confirmed: boolean }> {
    const registration = this.registrations.get(p.shortcode);
    if (!registration) throw new Error(`shortcode ${p.shortcode} has no registered URLs`);
    const msisdn = p.msisdn ?? '254708374149';
    const body = {
      TransactionType: 'Pay Bill', TransID: p.transId ?? transId(), TransTime: darajaTimestamp(new Date(this.now())), TransAmount: formatMajor(p.amountMinor, 'KES'),
      BusinessShortCode: p.shortcode, BillRefNumber: p.accountReference, InvoiceNumber: '', OrgAccountBalance: '', ThirdPartyTransID: '',
      MSISDN: this.opts.maskMsisdn ? `${msisdn.slice(0, 4)} ***** ${msisdn.slice(-3)}` : msisdn, FirstName: p.firstName ?? 'John', MiddleName: '', LastName: '',
    };
    if (this.opts.externalValidation?.includes(p.shortcode)) {
      const reply = await this.post(registration.validationUrl, body, 'validation');
      const code = (() => { try { return String((JSON.parse(reply.text) as { ResultCode?: unknown }).ResultCode); } catch { return ''; } })();
      if (reply.status !== 200 || code !== '0') {
        // ResponseType decides what Daraja does when validation fails to answer properly.
        const rejected = code.startsWith('C2B') || registration.responseType === 'Cancelled';
        if (rejected) return { transId: body.TransID, accepted: false, confirmed: false };
      }
    }
    const confirmed = await this.confirm(registration.confirmationUrl, body);
    if (p.duplicate) await this.confirm(registration.confirmationUrl, body);
    return { transId: body.TransID, accepted: true, confirmed };
  }

  private async confirm(url: string, body: unknown): Promise<boolean> {
    const tries = this.opts.confirmationTriesMax ?? 3;
    for (let attempt = 1; attempt <= tries; attempt++) {
      const reply = await this.post(url, body, 'confirmation');
      const dropped = this.#confirmationFailures > 0;
      if (dropped) this.#confirmationFailures -= 1;
      if (reply.status >= 200 && reply.status < 300 && !dropped) return true;
      await new Promise((r) => setTimeout(r, this.opts.retryDelayMs ?? 10));
    }
    return false;
  }

  private async post(url: string, body: unknown, kind: Delivery['kind']): Promise<{ status: number; text: string }> {
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(8_000) });
      const text = await res.text();
      this.deliveries.push({ url, kind, status: res.status, body, reply: text });
      return { status: res.status, text };
    } catch (error) {
      this.deliveries.push({ url, kind, status: 0, body, reply: String(error) });
      return { status: 0, text: '' };
    }
  }

  private async handle(req: SimRequest, res: ServerResponse): Promise<void> {
    const text = req.body;
    const json = (status: number, body: unknown): void => { res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)); };
    const error = (status: number, errorCode: string, errorMessage: string): void => json(status, { requestId: randomBytes(8).toString('hex'), errorCode, errorMessage });
    const url = req.url;
    let body: Record<string, unknown> = {};
    try { body = text ? (JSON.parse(text) as Record<string, unknown>) : {}; } catch { return error(400, '400.002.02', 'Bad Request - Invalid JSON'); }

    if (url.pathname === '/oauth/v1/generate') {
      this.tokenRequests.push(this.now());
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      const [key, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
      if (!this.opts.apps.some((a) => a.consumerKey === key && a.consumerSecret === secret)) return error(400, '400.008.01', 'Invalid Authentication passed');
      const token = randomBytes(21).toString('base64').replace(/[^A-Za-z0-9]/g, 'x');
      this.#tokens.set(token, this.now() + 3599_000);
      return json(200, { access_token: token, expires_in: '3599' });
    }
    if (url.pathname === '/simulator/c2b/pay' && req.method === 'POST') {
      try {
        const result = await this.payBill({ shortcode: String(body.shortcode), accountReference: String(body.accountReference ?? ''), amountMinor: Math.round(Number(body.amountMinor)), msisdn: body.msisdn ? String(body.msisdn) : undefined });
        return json(200, result);
      } catch (e) { return json(400, { error: (e as Error).message }); }
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiry = bearer ? this.#tokens.get(bearer) : undefined;
    if (!expiry || expiry < this.now()) return error(401, '404.001.03', 'Invalid Access Token');

    if (/^\/mpesa\/c2b\/v[12]\/registerurl$/.test(url.pathname)) {
      const shortcode = String(body.ShortCode ?? '');
      if (!body.ConfirmationURL || !body.ValidationURL || !shortcode) return error(400, '400.002.02', 'Bad Request - Invalid ShortCode or URLs');
      this.registrations.set(shortcode, { confirmationUrl: String(body.ConfirmationURL), validationUrl: String(body.ValidationURL), responseType: String(body.ResponseType ?? 'Completed') });
      return json(200, { OriginatorCoversationID: randomBytes(6).toString('hex'), ResponseCode: '0', ResponseDescription: 'Success' });
    }
    if (url.pathname === '/mpesa/stkpush/v1/processrequest') {
      const shortcode = String(body.BusinessShortCode ?? '');
      const passkey = this.opts.passkeys?.[shortcode];
      if (passkey !== undefined && body.Password !== stkPassword(shortcode, passkey, String(body.Timestamp ?? ''))) return error(400, '400.002.02', 'Bad Request - Invalid Password');
      if (!Number.isInteger(body.Amount) || (body.Amount as number) < 1) return error(400, '400.002.02', 'Bad Request - Invalid Amount');
      const request: StkRequest = { checkoutRequestId: `ws_CO_${darajaTimestamp(new Date(this.now()))}${randomBytes(4).toString('hex')}`, merchantRequestId: `${randomBytes(3).toString('hex')}-${randomBytes(4).toString('hex')}`,
        shortcode, amount: body.Amount as number, phone: String(body.PhoneNumber), callbackUrl: String(body.CallBackURL), accountReference: String(body.AccountReference ?? '') };
      this.stk.set(request.checkoutRequestId, request);
      const outcome = this.#stkOutcomes.shift() ?? { resultCode: 0 };
      setTimeout(() => { void this.finishStk(request, outcome); }, this.opts.stkCallbackDelayMs ?? 20);
      return json(200, { MerchantRequestID: request.merchantRequestId, CheckoutRequestID: request.checkoutRequestId, ResponseCode: '0', ResponseDescription: 'Success. Request accepted for processing', CustomerMessage: 'Success. Request accepted for processing' });
    }
    if (url.pathname === '/mpesa/stkpushquery/v1/query') {
      const request = this.stk.get(String(body.CheckoutRequestID ?? ''));
      if (!request) return error(400, '400.002.02', 'Bad Request - Invalid CheckoutRequestID');
      if (!request.result) return error(500, '500.001.1001', 'The transaction is being processed');
      return json(200, { ResponseCode: '0', ResponseDescription: 'The service request has been accepted successsfully', MerchantRequestID: request.merchantRequestId, CheckoutRequestID: request.checkoutRequestId, ResultCode: String(request.result.resultCode), ResultDesc: request.result.resultDesc });
    }
    return error(404, '404.002.01', 'Resource not found');
  }

  private async finishStk(request: StkRequest, outcome: StkOutcome): Promise<void> {
    const resultCode = outcome === 'no-callback' ? 0 : outcome.resultCode;
    request.result = { resultCode, resultDesc: DESCRIPTIONS[resultCode] ?? 'Failed' };
    if (outcome === 'no-callback') return;
    const metadata = resultCode === 0 ? { CallbackMetadata: { Item: [
      { Name: 'Amount', Value: request.amount }, { Name: 'MpesaReceiptNumber', Value: transId() },
      { Name: 'TransactionDate', Value: Number(darajaTimestamp(new Date(this.now()))) }, { Name: 'PhoneNumber', Value: Number(request.phone) },
    ] } } : {};
    await this.post(request.callbackUrl, { Body: { stkCallback: { MerchantRequestID: request.merchantRequestId, CheckoutRequestID: request.checkoutRequestId, ResultCode: resultCode, ResultDesc: request.result.resultDesc, ...metadata } } }, 'stk');
  }
}
