/**
 * Our client of Daraja: OAuth token cached until shortly before expiry and shared by concurrent
 * callers, refreshed once on a 401; C2B URL registration; STK push and STK query. Every call has
 * a bounded time. Never called inside a database transaction.
 */
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';
import { darajaTimestamp, stkPassword } from './stk-password.js';
import type { DarajaErrorBody, TokenReply } from './daraja-wire.js';

export const DARAJA_HOSTS = { sandbox: 'https://sandbox.safaricom.co.ke', production: 'https://api.safaricom.co.ke' } as const;
const TOKEN_EARLY_REFRESH_MS = 60_000;

export interface DarajaCredentials {
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  shortcode: string;
  shortcodeType: 'paybill' | 'till';
  passkey?: string;
}

export interface StkPushInput { amountWholeKes: number; phone: string; callbackUrl: string; accountReference: string; description: string }
export interface StkPushAccepted { merchantRequestId: string; checkoutRequestId: string; customerMessage: string }
export type StkQueryResult = { state: 'pending' } | { state: 'done'; resultCode: number; resultDesc: string };

export class DarajaClient {
  #token: { value: string; expiresAtMs: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(private readonly creds: DarajaCredentials, private readonly clock: Clock, private readonly timeoutMs = 15_000, private readonly fetchImpl: typeof fetch = fetch) {}

  /** The OAuth token: cached, and one fetch shared by everyone who asks while it is in flight. */
  async token(force = false): Promise<string> {
    if (!force && this.#token && this.#token.expiresAtMs - TOKEN_EARLY_REFRESH_MS > this.clock.now().getTime()) return this.#token.value;
    this.#inFlight ??= this.fetchToken().finally(() => { this.#inFlight = undefined; });
    return this.#inFlight;
  }

  private async fetchToken(): Promise<string> {
    const basic = Buffer.from(`${this.creds.consumerKey}:${this.creds.consumerSecret}`).toString('base64');
    const res = await this.send('GET', '/oauth/v1/generate?grant_type=client_credentials', undefined, `Basic ${basic}`);
    const body = (await res.json().catch(() => ({}))) as TokenReply & DarajaErrorBody;
    if (!res.ok || !body.access_token) throw providerError('token', res.status, body);
    this.#token = { value: body.access_token, expiresAtMs: this.clock.now().getTime() + Number(body.expires_in ?? 3599) * 1000 };
    return body.access_token;
  }

  private async send(method: string, path: string, body: unknown, authorization: string): Promise<Response> {
    try {
      return await this.fetchImpl(`${this.creds.baseUrl.replace(/\/+$/, '')}${path}`, {
        method, headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }), accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AppError('provider_error', `M-PESA could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** POST with the bearer token; a 401 refreshes the token once and tries again. */
  private async call<T>(path: string, body: unknown): Promise<{ status: number; body: T & DarajaErrorBody }> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.send('POST', path, body, `Bearer ${await this.token(attempt > 0)}`);
      if (res.status === 401 && attempt === 0) continue;
      return { status: res.status, body: (await res.json().catch(() => ({}))) as T & DarajaErrorBody };
    }
  }

  async registerUrls(urls: { confirmationUrl: string; validationUrl: string; responseType?: 'Completed' | 'Cancelled'; version?: 'v1' | 'v2' }): Promise<void> {
    const { status, body } = await this.call<{ ResponseCode?: string; ResponseDescription?: string }>(`/mpesa/c2b/${urls.version ?? 'v2'}/registerurl`, {
      ShortCode: this.creds.shortcode, ResponseType: urls.responseType ?? 'Completed', ConfirmationURL: urls.confirmationUrl, ValidationURL: urls.validationUrl,
    });
    if (status !== 200 || String(body.ResponseCode ?? '0') !== '0') throw providerError('register URLs', status, body);
  }

  private stkAuth(): { BusinessShortCode: string; Password: string; Timestamp: string } {
    if (!this.creds.passkey) throw new AppError('validation_failed', 'the M-PESA settings have no passkey; STK push needs one', { field: 'passkey' });
    const timestamp = darajaTimestamp(this.clock.now());
    return { BusinessShortCode: this.creds.shortcode, Password: stkPassword(this.creds.shortcode, this.creds.passkey, timestamp), Timestamp: timestamp };
  }

  async stkPush(input: StkPushInput): Promise<StkPushAccepted> {
    const { status, body } = await this.call<{ MerchantRequestID?: string; CheckoutRequestID?: string; ResponseCode?: string; CustomerMessage?: string }>('/mpesa/stkpush/v1/processrequest', {
      ...this.stkAuth(),
      TransactionType: this.creds.shortcodeType === 'till' ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline',
      Amount: input.amountWholeKes, PartyA: input.phone, PartyB: this.creds.shortcode, PhoneNumber: input.phone, CallBackURL: input.callbackUrl,
      // Daraja's limits: AccountReference ≤ 12 characters, TransactionDesc ≤ 13.
      AccountReference: input.accountReference.slice(0, 12), TransactionDesc: input.description.slice(0, 13),
    });
    if (status !== 200 || String(body.ResponseCode) !== '0' || !body.CheckoutRequestID) throw providerError('STK push', status, body);
    return { merchantRequestId: body.MerchantRequestID ?? '', checkoutRequestId: body.CheckoutRequestID, customerMessage: body.CustomerMessage ?? '' };
  }

  async stkQuery(checkoutRequestId: string): Promise<StkQueryResult> {
    const { status, body } = await this.call<{ ResultCode?: string | number; ResultDesc?: string }>('/mpesa/stkpushquery/v1/query', { ...this.stkAuth(), CheckoutRequestID: checkoutRequestId });
    // While the customer is still at the PIN prompt, Daraja answers with an error body.
    if (body.errorCode === '500.001.1001') return { state: 'pending' };
    if (status !== 200 || body.ResultCode === undefined) throw providerError('STK query', status, body);
    return { state: 'done', resultCode: Number(body.ResultCode), resultDesc: String(body.ResultDesc ?? '') };
  }
}

function providerError(what: string, status: number, body: DarajaErrorBody): AppError {
  return new AppError('provider_error', `M-PESA ${what} failed: HTTP ${status} ${body.errorCode ?? ''} ${body.errorMessage ?? ''}`.trim(), { details: { status, errorCode: body.errorCode } });
}
