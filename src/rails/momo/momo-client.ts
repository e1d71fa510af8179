/**
 * Our client of MTN MoMo's Collection API (specs/momo.md): token cached and shared, refreshed once
 * on a 401; invoices (v2_0) and request-to-pay (v1_0). A reused X-Reference-Id answers 409, which
 * makes a create that timed out safe to retry with the same id. Status answers 200 even when
 * creation failed, so the body's `status` is what counts.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.js';
import { AppError } from '../../domain/errors.js';

export const MOMO_SANDBOX = 'https://sandbox.momodeveloper.mtn.com';
/** MTN caps an invoice's validity; a longer due date is cut to this (seconds). */
export const VALIDITY_MAX_S = 30 * 24 * 3600;

export interface MomoConfig { baseUrl: string; subscriptionKey: string; apiUser: string; apiKey: string; targetEnvironment: string }
export type MomoState = 'CREATED' | 'PENDING' | 'SUCCESSFUL' | 'FAILED';
export interface MomoRequestToPayStatus { status: Exclude<MomoState, 'CREATED'>; financialTransactionId: string | null; amountText: string; currency: string; externalId: string; reason: string | null }
export interface MomoInvoiceStatus { status: MomoState; paymentReference: string | null; amountText: string; currency: string; externalId: string; errorReason: string | null; expiryDateTime: string | null }

export function validitySeconds(now: Date, dueAt: Date): number {
  return Math.max(60, Math.min(VALIDITY_MAX_S, Math.floor((dueAt.getTime() - now.getTime()) / 1000)));
}

export class MomoClient {
  #token: { value: string; expiresAtMs: number } | undefined;
  #inFlight: Promise<string> | undefined;

  constructor(private readonly config: MomoConfig, private readonly clock: Clock, private readonly timeoutMs = 15_000) {}

  private async fetch(path: string, init: { method: string; headers?: Record<string, string>; body?: unknown }, bearer?: string): Promise<Response> {
    try {
      return await fetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, {
        method: init.method, signal: AbortSignal.timeout(this.timeoutMs), body: init.body === undefined ? undefined : JSON.stringify(init.body),
        headers: { 'Ocp-Apim-Subscription-Key': this.config.subscriptionKey, ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(bearer ? { authorization: `Bearer ${bearer}`, 'X-Target-Environment': this.config.targetEnvironment } : {}), ...init.headers },
      });
    } catch (error) {
      throw new AppError('provider_error', `MTN MoMo could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async token(force = false): Promise<string> {
    if (!force && this.#token && this.#token.expiresAtMs - 60_000 > this.clock.now().getTime()) return this.#token.value;
    this.#inFlight ??= (async () => {
      const res = await this.fetch('/collection/token/', { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${this.config.apiUser}:${this.config.apiKey}`).toString('base64')}` } });
      if (!res.ok) throw new AppError('provider_error', `MTN MoMo token: HTTP ${res.status}`);
      const body = (await res.json()) as { access_token: string; expires_in: number };
      this.#token = { value: body.access_token, expiresAtMs: this.clock.now().getTime() + Number(body.expires_in ?? 3600) * 1000 };
      return body.access_token;
    })().finally(() => { this.#inFlight = undefined; });
    return this.#inFlight;
  }

  private async authed(path: string, init: { method: string; headers?: Record<string, string>; body?: unknown }): Promise<Response> {
    const res = await this.fetch(path, init, await this.token());
    return res.status === 401 ? this.fetch(path, init, await this.token(true)) : res;
  }

  /** Creates the MoMo invoice under our reference id; a 409 means it already exists, which is success. */
  async createInvoice(input: { referenceId: string; externalId: string; amountText: string; currency: string; validitySeconds: number; payerMsisdn: string; payeeMsisdn?: string; description: string; callbackUrl?: string }): Promise<void> {
    const res = await this.authed('/collection/v2_0/invoice', {
      method: 'POST', headers: { 'X-Reference-Id': input.referenceId, ...(input.callbackUrl ? { 'X-Callback-Url': input.callbackUrl } : {}) },
      body: { externalId: input.externalId, amount: input.amountText, currency: input.currency, validityDuration: String(input.validitySeconds),
        intendedPayer: { partyIdType: 'MSISDN', partyId: input.payerMsisdn }, payee: { partyIdType: 'MSISDN', partyId: input.payeeMsisdn ?? input.payerMsisdn }, description: input.description.slice(0, 160) },
    });
    if (res.status !== 202 && res.status !== 409) throw new AppError('provider_error', `MTN MoMo invoice create: HTTP ${res.status}`);
  }

  async invoiceStatus(referenceId: string): Promise<MomoInvoiceStatus> {
    const res = await this.authed(`/collection/v2_0/invoice/${encodeURIComponent(referenceId)}`, { method: 'GET' });
    if (!res.ok) throw new AppError('provider_error', `MTN MoMo invoice status: HTTP ${res.status}`);
    const body = (await res.json()) as Record<string, unknown>;
    const status = String(body.status) as MomoState;
    if (!['CREATED', 'PENDING', 'SUCCESSFUL', 'FAILED'].includes(status)) throw new AppError('provider_error', `MTN MoMo status ${status} is unknown`);
    const reason = body.errorReason as { code?: string; message?: string } | undefined;
    return { status, paymentReference: body.paymentReference ? String(body.paymentReference) : null, amountText: String(body.amount ?? ''), currency: String(body.currency ?? ''),
      externalId: String(body.externalId ?? ''), errorReason: reason?.code ? `${reason.code} ${reason.message ?? ''}`.trim() : null, expiryDateTime: body.expiryDateTime ? String(body.expiryDateTime) : null };
  }

  /** Asks the payer's phone to approve a payment (v1_0); 409 on a reused id is success, as with invoices. */
  async requestToPay(input: { referenceId: string; externalId: string; amountText: string; currency: string; payerMsisdn: string; message: string; callbackUrl?: string }): Promise<void> {
    const res = await this.authed('/collection/v1_0/requesttopay', {
      method: 'POST', headers: { 'X-Reference-Id': input.referenceId, ...(input.callbackUrl ? { 'X-Callback-Url': input.callbackUrl } : {}) },
      body: { amount: input.amountText, currency: input.currency, externalId: input.externalId, payer: { partyIdType: 'MSISDN', partyId: input.payerMsisdn },
        payerMessage: input.message.slice(0, 160), payeeNote: input.message.slice(0, 160) },
    });
    if (res.status !== 202 && res.status !== 409) throw new AppError('provider_error', `MTN MoMo request to pay: HTTP ${res.status}`);
  }

  async requestToPayStatus(referenceId: string): Promise<MomoRequestToPayStatus> {
    const res = await this.authed(`/collection/v1_0/requesttopay/${encodeURIComponent(referenceId)}`, { method: 'GET' });
    if (!res.ok) throw new AppError('provider_error', `MTN MoMo request-to-pay status: HTTP ${res.status}`);
    const body = (await res.json()) as Record<string, unknown>;
    const status = String(body.status) as MomoRequestToPayStatus['status'];
    if (!['PENDING', 'SUCCESSFUL', 'FAILED'].includes(status)) throw new AppError('provider_error', `MTN MoMo status ${status} is unknown`);
    return { status, financialTransactionId: body.financialTransactionId ? String(body.financialTransactionId) : null, amountText: String(body.amount ?? ''), currency: String(body.currency ?? ''),
      externalId: String(body.externalId ?? ''), reason: body.reason ? String(body.reason) : null };
  }

  async cancelInvoice(referenceId: string, externalId: string): Promise<void> {
    const res = await this.authed(`/collection/v2_0/invoice/${encodeURIComponent(referenceId)}`, { method: 'DELETE', headers: { 'X-Reference-Id': randomUUID() }, body: { externalId } });
    if (!res.ok) throw new AppError('provider_error', `MTN MoMo invoice cancel: HTTP ${res.status}`);
  }
}

/** Sandbox only: MTN lets a subscription key create its own API user and key (specs/momo.md). */
export async function provisionSandboxUser(baseUrl: string, subscriptionKey: string, callbackHost: string): Promise<{ apiUser: string; apiKey: string }> {
  const root = baseUrl.replace(/\/+$/, '');
  const apiUser = randomUUID();
  const call = async (path: string, headers: Record<string, string>, body?: unknown) => {
    try {
      return await fetch(`${root}${path}`, { method: 'POST', signal: AbortSignal.timeout(15_000), headers: { 'Ocp-Apim-Subscription-Key': subscriptionKey, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body ?? {}) });
    } catch (error) {
      throw new AppError('provider_error', `MTN MoMo could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const user = await call('/v1_0/apiuser', { 'X-Reference-Id': apiUser }, { providerCallbackHost: callbackHost });
  if (user.status !== 201 && user.status !== 409) throw new AppError('provider_error', `MTN MoMo sandbox API user: HTTP ${user.status}`);
  const key = await call(`/v1_0/apiuser/${apiUser}/apikey`, {});
  if (key.status !== 201) throw new AppError('provider_error', `MTN MoMo sandbox API key: HTTP ${key.status}`);
  return { apiUser, apiKey: String(((await key.json()) as { apiKey: string }).apiKey) };
}
