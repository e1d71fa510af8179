/**
 * Email over SMTP (nodemailer) from SMTP_URL. The outbox sender renders the template (first line
 * is the subject), attaches the invoice PDF rendered at send time, and classifies failures: a 5xx
 * SMTP reply is final, a 4xx reply or a connection problem is worth another try.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Claimed } from '../../jobs/outbox/claim.js';
import type { DeliveryOutcome } from '../../jobs/outbox/complete.js';
import { invoiceView } from '../../documents/invoice-view.js';
import { renderInvoicePdf } from '../../documents/invoice-pdf.js';
import { receiptView } from '../../documents/receipt-view.js';
import { renderReceiptPdf } from '../../documents/receipt-documents.js';
import type { Store } from '../../storage/database.js';
import { renderTemplate, templateText } from '../templates.js';
import { open, type KeyRing } from '../../security/secret-box.js';
import { notificationSettingsOf } from '../../services/notifications/notification-settings.js';
import { perBusinessCache } from '../../services/settings-cache.js';

export function smtpTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
}

/** The business's own SMTP server when it set one (sealed URL), the platform's otherwise. */
export function emailSender(store: Store, transport: Transporter | null, from: string, publicUrl: string, keys?: KeyRing, log?: { info: (o: object, m: string) => void }) {
  const transports = perBusinessCache<Transporter>();
  const logOnly = logEmailSender(log);
  return async (message: Claimed, payload: Record<string, unknown>): Promise<DeliveryOutcome> => {
    const settings = keys ? await notificationSettingsOf(store.db, message.business_id) : undefined;
    let chosen = transport;
    let sender = from;
    if (settings?.smtp_url_sealed) {
      const sealed = settings.smtp_url_sealed;
      chosen = transports(message.business_id, settings.updated_at, () => smtpTransport(open(keys!, sealed)));
    }
    if (settings?.mail_from) sender = settings.mail_from;
    if (!chosen) return logOnly(message, payload);
    const [subject = '', ...body] = renderTemplate(templateText('email', String(payload.template ?? message.kind), String(payload.language ?? 'en'), message.business_id), (payload.vars ?? {}) as Record<string, unknown>).split('\n');
    const attachments = [];
    if (typeof payload.invoiceId === 'string') {
      const view = await invoiceView(store.db, message.business_id, payload.invoiceId, publicUrl);
      attachments.push({ filename: `${view.number}.pdf`, content: await renderInvoicePdf(view), contentType: 'application/pdf' });
    }
    if (typeof payload.paymentId === 'string') {
      const view = await receiptView(store.db, message.business_id, payload.paymentId);
      attachments.push({ filename: `receipt-${view.reference}.pdf`, content: await renderReceiptPdf(view), contentType: 'application/pdf' });
    }
    try {
      const info = await chosen.sendMail({ from: sender, to: message.recipient, subject, text: body.join('\n').trim(), attachments });
      return { outcome: 'delivered', providerMessageId: info.messageId ?? null, detail: String(info.response ?? 'accepted') };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      const detail = `${code ?? ''} ${error instanceof Error ? error.message : String(error)}`.trim().slice(0, 500);
      return code !== undefined && code >= 500 ? { outcome: 'failed', detail } : { outcome: 'retryable', detail };
    }
  };
}

/** SMTP_URL unset: the message is shown in the logs and marked delivered, so a newcomer sees it. */
export function logEmailSender(log?: { info: (o: object, m: string) => void }) {
  return async (message: Claimed, payload: Record<string, unknown>): Promise<DeliveryOutcome> => {
    const text = renderTemplate(templateText('email', String(payload.template ?? message.kind), String(payload.language ?? 'en'), message.business_id), (payload.vars ?? {}) as Record<string, unknown>);
    log?.info({ to: message.recipient, subject: text.split('\n')[0] }, 'email (no SMTP_URL, not sent)');
    return { outcome: 'delivered', providerMessageId: null, detail: 'logged' };
  };
}
