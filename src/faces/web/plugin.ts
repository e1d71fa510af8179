/** Public invoice pages: /i/{token} (HTML) and /i/{token}.pdf. The token is unguessable; nothing else is reachable from it. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../domain/errors.js';
import { renderInvoiceHtml } from '../../documents/invoice-html.js';
import { renderInvoicePdf } from '../../documents/invoice-pdf.js';
import { invoiceView } from '../../documents/invoice-view.js';
import { receiptView } from '../../documents/receipt-view.js';
import { renderReceiptHtml, renderReceiptPdf } from '../../documents/receipt-documents.js';
import { ensureMomoInvoice } from '../../services/momo/momo-invoices.js';

/** `/i/abc` is the page, `/i/abc.pdf` the document. */
function splitPdf(raw: string): { key: string; pdf: boolean } {
  return raw.endsWith('.pdf') ? { key: raw.slice(0, -4), pdf: true } : { key: raw, pdf: false };
}

export async function webPages(app: FastifyInstance): Promise<void> {
  app.get('/r/:payment', { schema: { tags: ['pages'], summary: 'Payment receipt (append .pdf for the PDF); the payment id is unguessable', params: Type.Object({ payment: Type.String({ minLength: 10, maxLength: 80 }) }) } },
    async (request, reply) => {
      const { key: id, pdf } = splitPdf((request.params as { payment: string }).payment);
      const db = request.server.services.store.db;
      const payment = await db.selectFrom('payments').select(['business_id']).where('id', '=', id).executeTakeFirst();
      if (!payment) throw notFound('receipt');
      const view = await receiptView(db, payment.business_id, id);
      reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      if (pdf) return reply.type('application/pdf').send(await renderReceiptPdf(view));
      return reply.type('text/html; charset=utf-8').send(renderReceiptHtml(view));
    });

  app.get('/i/:token', { schema: { tags: ['pages'], summary: 'Public invoice page (append .pdf for the PDF)', params: Type.Object({ token: Type.String({ minLength: 10, maxLength: 80 }) }) } },
    async (request, reply) => {
      const { key: token, pdf } = splitPdf((request.params as { token: string }).token);
      const db = request.server.services.store.db;
      const invoice = await db.selectFrom('invoices').select(['id', 'business_id']).where('public_token', '=', token).executeTakeFirst();
      if (!invoice) throw notFound('invoice');
      const { store, clock, keys, config } = request.server.services;
      const publicUrl = config.publicUrl;
      // Opening the page is when a payer wants to pay: a MoMo invoice that expired (or never got made) is issued now.
      await ensureMomoInvoice({ store, clock, actor: { type: 'user', id: 'payer', requestId: request.id } }, keys, invoice.business_id, invoice.id, publicUrl, { retryCreating: false })
        .catch((error: unknown) => request.log.warn({ err: error }, 'MoMo invoice could not be made for the pay page'));
      const view = await invoiceView(db, invoice.business_id, invoice.id, publicUrl, clock.now());
      reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex');
      if (pdf) return reply.type('application/pdf').header('content-disposition', `inline; filename="${view.number}.pdf"`).send(await renderInvoicePdf(view));
      return reply.type('text/html; charset=utf-8').send(await renderInvoiceHtml(view, `${publicUrl}/i/${token}.pdf`));
    });
}
