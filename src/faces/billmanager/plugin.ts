/**
 * The Bill Manager face: a drop-in, self-hosted M-PESA Bill Manager. Same paths, bodies, codes and
 * token flow as Daraja (seed 000), including the variants real clients send (seed 001 and the
 * specs), so an existing integration works by changing only its base URL.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getBusiness } from '../../services/businesses/get-business.js';
import { issueDarajaToken } from '../../services/billmanager/daraja-tokens.js';
import { optIn, updateOptIn } from '../../services/billmanager/opt-in.js';
import { sendBillManagerInvoices, type BillManagerInvoice } from '../../services/billmanager/send-invoices.js';
import { acknowledgePayment } from '../../services/billmanager/acknowledge-payment.js';
import { cancelByExternalReferences } from './cancel.js';
import { callerOptIn, requireDarajaToken } from './auth.js';
import { fetchLogo } from './fetch-logo.js';
import { parseOptInBody } from './opt-in-body.js';
import { parseAcknowledgement } from './acknowledgement-body.js';
import { parseBillManagerInvoice } from './parse-invoice.js';
import { badRequest, darajaError, errorBody, sendOk, toBillManagerError, type FieldError } from './wire.js';
import { toNativeError } from '../../server/native-errors.js';
import type { Ctx } from '../../services/context.js';

export const BULK_MAX = 1000;
// Safaricom's go-live emails show the path prefix doubled; clients copy it, so both work.
const PREFIXES = ['/v1/billmanager-invoice', '/v1/billmanager-invoice/v1/billmanager-invoice'];

function ctxOf(request: FastifyRequest): Ctx {
  const { store, clock } = request.server.services;
  return { store, clock, actor: { type: 'app', id: request.daraja?.appId ?? 'anonymous', requestId: request.id } };
}

async function generateToken(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const json = (status: number, body: unknown) => reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  const grantType = (request.query as Record<string, unknown>).grant_type;
  if (grantType !== 'client_credentials') return json(400, darajaError('400.008.02', 'Invalid grant type passed', request.id));
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Basic\s+(\S+)$/i.exec(header.trim()) : null;
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const issued = colon > 0 ? await issueDarajaToken(ctxOf(request), decoded.slice(0, colon), decoded.slice(colon + 1)) : null;
  if (!issued) return json(400, darajaError('400.008.01', 'Invalid Authentication passed', request.id));
  return json(200, { access_token: issued.accessToken, expires_in: String(issued.expiresInS) });
}

/** Bulk bodies come as a bare array or wrapped in {"invoices": [...]}. */
function invoiceList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray((body as { invoices?: unknown }).invoices)) return (body as { invoices: unknown[] }).invoices;
  throw badRequest([{ field: 'invoices', message: 'must be an array of invoices (or {"invoices": [...]})' }]);
}

function parseAll(raw: unknown[], timezone: string, bulk: boolean): BillManagerInvoice[] {
  const errors: FieldError[] = [];
  const parsed: BillManagerInvoice[] = [];
  raw.forEach((item, index) => {
    const result = parseBillManagerInvoice(item, timezone, bulk ? index : undefined);
    if ('errors' in result) errors.push(...result.errors);
    else parsed.push(result.invoice);
  });
  if (errors.length) throw badRequest(errors);
  return parsed;
}

export async function billManagerFace(app: FastifyInstance): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    const mapped = toBillManagerError(error);
    if (mapped) return reply.status(mapped.status).header('content-type', 'application/json; charset=utf-8').send(mapped.body);
    const native = toNativeError(error);
    if (native.status < 500) return reply.status(native.status).send(errorBody(native.status, native.body.error, native.body.field ? [{ field: native.body.field, message: native.body.error }] : []));
    request.log.error({ err: error }, 'bill manager request failed');
    return reply.status(500).send(errorBody(500, 'internal error'));
  });

  app.get('/oauth/v1/generate', { schema: { tags: ['bill manager'], summary: 'Daraja OAuth: Basic consumerKey:consumerSecret → bearer token' } }, generateToken);
  app.post('/oauth/v1/generate', { schema: { hide: true } }, generateToken);

  const guarded = { preHandler: requireDarajaToken, schema: { tags: ['bill manager'], security: [{ bearer: [] }] } };
  for (const prefix of PREFIXES) {
    const hidden = prefix !== PREFIXES[0];
    const opts = hidden ? { ...guarded, schema: { ...guarded.schema, hide: true } } : guarded;

    app.post(`${prefix}/optin`, opts, async (request, reply) => {
      const parsed = parseOptInBody(request.body);
      const logoJpeg = parsed.logo.kind === 'url' ? await fetchLogo(parsed.logo.url) : parsed.logo.kind === 'inline' ? parsed.logo.bytes : parsed.logo.kind === 'none' ? null : undefined;
      const appKey = await optIn(ctxOf(request), request.server.services.keys, request.daraja!.businessId, { ...parsed, logoJpeg });
      return sendOk(reply, { app_key: appKey });
    });

    app.post(`${prefix}/change-optin-details`, opts, async (request, reply) => {
      const parsed = parseOptInBody(request.body);
      const logoJpeg = parsed.logo.kind === 'url' ? await fetchLogo(parsed.logo.url) : parsed.logo.kind === 'inline' ? parsed.logo.bytes : parsed.logo.kind === 'none' ? null : undefined;
      await updateOptIn(ctxOf(request), request.server.services.keys, request.daraja!.businessId, { ...parsed, logoJpeg });
      return sendOk(reply, {});
    });

    app.post(`${prefix}/single-invoicing`, opts, async (request, reply) => {
      const optin = await callerOptIn(request);
      const business = await getBusiness(request.server.services.store.db, request.daraja!.businessId);
      const raw = Array.isArray(request.body) && request.body.length === 1 ? request.body[0] : request.body;
      const invoices = parseAll([raw], business.timezone, false);
      await sendBillManagerInvoices(ctxOf(request), business.id, optin, invoices, request.server.services.config.publicUrl);
      return sendOk(reply, { Status_Message: 'Invoice sent successfully' });
    });

    app.post(`${prefix}/bulk-invoicing`, { ...opts, bodyLimit: 8 * 1024 * 1024 }, async (request, reply) => {
      const optin = await callerOptIn(request);
      const business = await getBusiness(request.server.services.store.db, request.daraja!.businessId);
      const raw = invoiceList(request.body);
      if (raw.length === 0 || raw.length > BULK_MAX) throw badRequest([{ field: 'invoices', message: `must hold 1 to ${BULK_MAX} invoices` }]);
      const invoices = parseAll(raw, business.timezone, true);
      await sendBillManagerInvoices(ctxOf(request), business.id, optin, invoices, request.server.services.config.publicUrl);
      return sendOk(reply, { Status_Message: 'Invoice sent successfully' });
    });

    app.post(`${prefix}/cancel-single-invoice`, opts, async (request, reply) => {
      const optin = await callerOptIn(request);
      const body = Array.isArray(request.body) && request.body.length === 1 ? request.body[0] : request.body;
      await cancelByExternalReferences(ctxOf(request), request.daraja!.businessId, optin.shortcode, [body], false);
      return sendOk(reply, { Status_Message: 'Invoice cancelled successfuly.', errors: [] });
    });

    app.post(`${prefix}/cancel-bulk-invoices`, opts, async (request, reply) => {
      const optin = await callerOptIn(request);
      const body = request.body as unknown;
      const list = Array.isArray(body) ? body
        : body && typeof body === 'object' && Array.isArray((body as { externalReferences?: unknown }).externalReferences)
          ? (body as { externalReferences: unknown[] }).externalReferences.map((externalReference) => ({ externalReference }))
          : null;
      if (!list || list.length === 0 || list.length > BULK_MAX) throw badRequest([{ field: 'externalReferences', message: `must list 1 to ${BULK_MAX} invoices` }]);
      await cancelByExternalReferences(ctxOf(request), request.daraja!.businessId, optin.shortcode, list, true);
      return sendOk(reply, { Status_Message: 'Invoice cancelled successfuly.', errors: [] });
    });

    app.post(`${prefix}/reconciliation`, opts, async (request, reply) => {
      const businessId = request.daraja!.businessId;
      const optin = await callerOptIn(request);
      const business = await getBusiness(request.server.services.store.db, businessId);
      await acknowledgePayment(ctxOf(request), businessId, [optin.shortcode], parseAcknowledgement(request.body), business.name);
      return sendOk(reply, {});
    });
  }
}

