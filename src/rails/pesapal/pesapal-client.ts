/**
 * Our client of Pesapal API 3.0 (specs/pesapal.md): token cached until shortly before expiry and
 * shared by concurrent callers, IPN registration, order submission, transaction status. An IPN is
 * only a hint; GetTransactionStatus is what we credit on.
 */
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';

export const PESAPAL_HOSTS = { sandbox: 'https://cybqa.pesapal.com/pesapalv3', live: 'https://pay.pesapal.com/v3' } as const;

export interface PesapalStatus {
  statusCode: 0 | 1 | 2 | 3;
  merchantReference: string;
  currency: string;
  /** Pesapal answers a JSON number in major units; kept as its text so it parses exactly. */
  amountText: string;
  confirmationCode: string | null;
  description: string;
}

export class PesapalClient {
  #token: { value: string; expiresAtMs: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(private readonly config: { baseUrl: string; consumerKey: string; consumerSecret: string }, private readonly clock: Clock, private readonly timeoutMs = 15_000) {}

  private async send(method: 'GET' | 'POST', path: string, body?: unknown, auth = true): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    if (auth) headers.authorization = `Bearer ${await this.token()}`;
    let res: Response;
    try {
      res = await fetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw new AppError('provider_error', `Pesapal could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await res.text();
    let json: Record<string, unknown>;
    try { json = JSON.parse(text) as Record<string, unknown>; } catch { throw new AppError('provider_error', `Pesapal answered HTTP ${res.status} without JSON`); }
    const error = json.error as { code?: string; message?: string } | null | undefined;
    if (!res.ok || (error && (error.code || error.message))) throw new AppError('provider_error', `Pesapal ${path} failed: ${error?.code ?? res.status} ${error?.message ?? ''}`.trim());
    return json;
  }

  async token(): Promise<string> {
    if (this.#token && this.#token.expiresAtMs - 30_000 > this.clock.now().getTime()) return this.#token.value;
    this.#inFlight ??= (async () => {
      const json = await this.send('POST', '/api/Auth/RequestToken', { consumer_key: this.config.consumerKey, consumer_secret: this.config.consumerSecret }, false);
      const expires = Date.parse(String(json.expiryDate ?? ''));
      this.#token = { value: String(json.token), expiresAtMs: Number.isFinite(expires) ? expires : this.clock.now().getTime() + 4 * 60_000 };
      return this.#token.value;
    })().finally(() => { this.#inFlight = undefined; });
    return this.#inFlight;
  }

  async registerIpn(url: string, type: 'GET' | 'POST'): Promise<string> {
    return String((await this.send('POST', '/api/URLSetup/RegisterIPN', { url, ipn_notification_type: type })).ipn_id);
  }

  async submitOrder(order: { id: string; currency: string; amountText: string; description: string; callbackUrl: string; notificationId: string; email?: string | null; phone?: string | null; name: string }) {
    const json = await this.send('POST', '/api/Transactions/SubmitOrderRequest', {
      id: order.id, currency: order.currency, amount: Number(order.amountText), description: order.description.slice(0, 100), callback_url: order.callbackUrl, notification_id: order.notificationId,
      billing_address: { email_address: order.email ?? '', phone_number: order.phone ?? '', first_name: order.name.slice(0, 50) },
    });
    return { trackingId: String(json.order_tracking_id), redirectUrl: String(json.redirect_url) };
  }

  async transactionStatus(trackingId: string): Promise<PesapalStatus> {
    const json = await this.send('GET', `/api/Transactions/GetTransactionStatus?orderTrackingId=${encodeURIComponent(trackingId)}`);
    const code = Number(json.status_code);
    if (![0, 1, 2, 3].includes(code)) throw new AppError('provider_error', `Pesapal status_code ${String(json.status_code)} is unknown`);
    return { statusCode: code as PesapalStatus['statusCode'], merchantReference: String(json.merchant_reference ?? ''), currency: String(json.currency ?? ''),
      amountText: String(json.amount ?? ''), confirmationCode: json.confirmation_code ? String(json.confirmation_code) : null, description: String(json.payment_status_description ?? '') };
  }
}

/** Pesapal's IPN acknowledgement: anything else makes it retry. */
export function ipnAck(trackingId: string, merchantReference: string, type = 'IPNCHANGE') {
  return { orderNotificationType: type, orderTrackingId: trackingId, orderMerchantReference: merchantReference, status: 200 };
}
