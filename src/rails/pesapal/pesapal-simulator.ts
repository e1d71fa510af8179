/**
 * A Pesapal 3.0 simulator on loopback: token, IPN registration, order submission, transaction
 * status, and a control API to complete, fail or reverse an order (then the IPN goes out by the
 * registered method) or to send an IPN for an order that is NOT completed.
 */
import { randomUUID } from 'node:crypto';
import { startLoopbackServer, type LoopbackServer } from '../loopback-server.js';

interface Order { trackingId: string; merchantReference: string; currency: string; amount: number; notificationId: string; callbackUrl: string; statusCode: 0 | 1 | 2 | 3; confirmationCode: string | null }

export class PesapalSimulator {
  readonly ipns = new Map<string, { url: string; type: 'GET' | 'POST' }>();
  readonly orders = new Map<string, Order>();
  readonly ipnDeliveries: Array<{ trackingId: string; status: number; reply: string }> = [];
  #tokens = new Set<string>();
  #server: LoopbackServer | undefined;
  baseUrl = '';

  constructor(private readonly credentials: { consumerKey: string; consumerSecret: string }) {}

  async start(): Promise<string> {
    this.#server = await startLoopbackServer((req, res) => {
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const fail = (status: number, code: string, message: string) => json(status, { error: { type: 'error', code, message }, status: String(status) });
      const url = req.url;
      let body: Record<string, unknown> = {};
      try { body = req.body ? JSON.parse(req.body) as Record<string, unknown> : {}; } catch { return fail(400, 'invalid_json', 'Invalid JSON'); }
      if (url.pathname === '/api/Auth/RequestToken') {
        if (body.consumer_key !== this.credentials.consumerKey || body.consumer_secret !== this.credentials.consumerSecret) return fail(401, 'invalid_consumer_key_or_secret_provided', 'Invalid consumer key or secret');
        const token = randomUUID();
        this.#tokens.add(token);
        return json(200, { token, expiryDate: new Date(Date.now() + 5 * 60_000).toISOString(), error: null, status: '200', message: 'Request processed successfully' });
      }
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !this.#tokens.has(bearer)) return fail(401, 'invalid_api_credentials_provided', 'Invalid access token');
      if (url.pathname === '/api/URLSetup/RegisterIPN') {
        const id = randomUUID();
        this.ipns.set(id, { url: String(body.url), type: body.ipn_notification_type === 'POST' ? 'POST' : 'GET' });
        return json(200, { url: body.url, created_date: new Date().toISOString(), ipn_id: id, error: null, status: '200' });
      }
      if (url.pathname === '/api/Transactions/SubmitOrderRequest') {
        if (!this.ipns.has(String(body.notification_id))) return fail(400, 'invalid_notification_id', 'Invalid notification id');
        const address = (body.billing_address ?? {}) as Record<string, unknown>;
        if (!address.email_address && !address.phone_number) return fail(400, 'missing_billing_address', 'Email or phone is required');
        const order: Order = { trackingId: randomUUID(), merchantReference: String(body.id), currency: String(body.currency), amount: Number(body.amount), notificationId: String(body.notification_id), callbackUrl: String(body.callback_url), statusCode: 0, confirmationCode: null };
        this.orders.set(order.trackingId, order);
        return json(200, { order_tracking_id: order.trackingId, merchant_reference: order.merchantReference, redirect_url: `${this.baseUrl}/pay/${order.trackingId}`, error: null, status: '200' });
      }
      if (url.pathname === '/api/Transactions/GetTransactionStatus') {
        const order = this.orders.get(url.searchParams.get('orderTrackingId') ?? '');
        if (!order) return fail(404, 'order_not_found', 'Order not found');
        const description = ['INVALID', 'COMPLETED', 'FAILED', 'REVERSED'][order.statusCode];
        return json(200, { payment_method: 'Visa', amount: order.amount, created_date: new Date().toISOString(), confirmation_code: order.confirmationCode, payment_status_description: description,
          description: '', message: 'Request processed successfully', payment_account: '444444xxxxxx4444', call_back_url: order.callbackUrl, status_code: order.statusCode,
          merchant_reference: order.merchantReference, payment_status_code: '', currency: order.currency, error: { error_type: null, code: null, message: null }, status: '200' });
      }
      return fail(404, 'not_found', 'Not found');
    });
    this.baseUrl = this.#server.baseUrl;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    await this.#server?.close();
  }

  /** The payer finishes at Pesapal (1 completed, 2 failed, 3 reversed); the IPN follows. */
  async settle(trackingId: string, statusCode: 1 | 2 | 3, opts: { sendIpn?: boolean; amount?: number } = {}): Promise<void> {
    const order = this.orders.get(trackingId)!;
    order.statusCode = statusCode;
    if (statusCode === 1) order.confirmationCode = randomUUID().slice(0, 10).toUpperCase();
    if (opts.amount !== undefined) order.amount = opts.amount;
    if (opts.sendIpn !== false) await this.sendIpn(trackingId);
  }

  /** An IPN carries no status: it can arrive for an order that is not completed at all. */
  async sendIpn(trackingId: string): Promise<void> {
    const order = this.orders.get(trackingId)!;
    const ipn = this.ipns.get(order.notificationId)!;
    const params = { OrderTrackingId: order.trackingId, OrderMerchantReference: order.merchantReference, OrderNotificationType: 'IPNCHANGE' };
    const res = ipn.type === 'GET'
      ? await fetch(`${ipn.url}${ipn.url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`)
      : await fetch(ipn.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
    this.ipnDeliveries.push({ trackingId, status: res.status, reply: await res.text() });
  }
}
