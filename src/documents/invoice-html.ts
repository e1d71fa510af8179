/** The public invoice page: the same view as the PDF, escaped, with the QR code inline. */
import type { InvoiceView } from './invoice-view.js';
import { qrPng } from './qr.js';

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export async function renderInvoiceHtml(view: InvoiceView, pdfUrl: string): Promise<string> {
  const qr = (await qrPng(view.qrText)).toString('base64');
  const rows = view.items.map((i) => `<tr><td>${escape(i.name)}</td><td>${i.quantity}</td><td>${escape(i.unitPrice)}</td><td>${escape(i.taxRate)}</td><td class="r">${escape(i.total)}</td></tr>`).join('');
  const logo = view.logoJpeg ? `<img class="logo" alt="" src="data:image/jpeg;base64,${view.logoJpeg.toString('base64')}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invoice ${escape(view.number)} — ${escape(view.businessName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;color:#222}table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}.r{text-align:right}.logo{max-height:60px}.due{font-size:1.4rem;font-weight:600}.pay{background:#f4f8f4;padding:1rem;border-radius:8px}</style>
</head><body>
<header>${logo}<h1>${escape(view.businessName)}</h1></header>
<h2>Invoice ${escape(view.number)}</h2>
<p>${escape(view.name)}${view.billedPeriod ? ` — ${escape(view.billedPeriod)}` : ''}<br>Billed to ${escape(view.customerName)}, account <strong>${escape(view.accountRef)}</strong><br>Issued ${escape(view.issueDate)} · Due ${escape(view.dueDate)} · <span id="status">${escape(view.status.replace('_', ' '))}</span></p>
<table><thead><tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Tax</th><th class="r">Total</th></tr></thead><tbody>${rows}</tbody></table>
<p class="r">Subtotal ${escape(view.subtotal)}<br>Tax ${escape(view.tax)}<br>Total ${escape(view.total)}<br>Paid ${escape(view.paid)}</p>
<p class="r due">Balance due <span id="balance">${escape(view.balance)}</span></p>
<section class="pay"><h3>How to pay</h3>
${view.paybill ? `<p>M-PESA: Lipa na M-PESA → Paybill <strong>${escape(view.paybill)}</strong>, Account number <strong>${escape(view.accountRef)}</strong></p>` : ''}
<p><img alt="QR code for this page" width="160" height="160" src="data:image/png;base64,${qr}"></p>
<p><a href="${escape(pdfUrl)}">Download PDF</a></p></section>
</body></html>`;
}
