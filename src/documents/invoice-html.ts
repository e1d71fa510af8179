/** The public invoice page: the same view as the PDF, escaped, with the QR code inline. */
import { escapeHtml } from './escape-html.js';
import type { InvoiceView } from './invoice-view.js';
import { qrPng } from './qr.js';


export async function renderInvoiceHtml(view: InvoiceView, pdfUrl: string): Promise<string> {
  const qr = (await qrPng(view.qrText)).toString('base64');
  const momo = view.momo ? `<div id="momo"><h4>MTN MoMo</h4><p>Dial <strong id="momo-ussd">${escapeHtml(view.momo.ussd)}</strong> (payment reference <strong>${escapeHtml(view.momo.paymentReference)}</strong>), or scan:</p>
<p><a href="tel:${encodeURIComponent(view.momo.ussd)}"><img alt="QR code of the MoMo USSD string" width="160" height="160" src="data:image/png;base64,${(await qrPng(view.momo.ussd)).toString('base64')}"></a></p>
<p>${escapeHtml(view.momo.instructions)}</p>
<form id="momo-rtp"><label>Or get a MoMo prompt on your phone: <input name="phone" type="tel" required placeholder="2567…"></label> <button>Send prompt</button> <output></output></form>
<script>
document.getElementById('momo-rtp').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target, out = form.querySelector('output');
  const res = await fetch('/api/payments/momo/request-to-pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ invoice_id: ${JSON.stringify(view.publicToken)}, phone_number: form.phone.value }) });
  const body = await res.json();
  if (!res.ok) { out.textContent = body.error; return; }
  out.textContent = 'Approve the prompt on your phone…';
  for (let i = 0; i < 60; i += 1) {
    await new Promise((r) => setTimeout(r, 3000));
    const status = await (await fetch('/api/payments/momo/' + body.reference + '/status')).json();
    if (status.status !== 'pending' && status.status !== 'creating') { out.textContent = status.status === 'paid' ? 'Paid, thank you.' : 'Not paid: ' + (status.reason || status.status); if (status.status === 'paid') location.reload(); return; }
  }
});
</script></div>` : '';
  const rows = view.items.map((i) => `<tr><td>${escapeHtml(i.name)}</td><td>${i.quantity}</td><td>${escapeHtml(i.unitPrice)}</td><td>${escapeHtml(i.taxRate)}</td><td class="r">${escapeHtml(i.total)}</td></tr>`).join('');
  const logo = view.logoJpeg ? `<img class="logo" alt="" src="data:image/jpeg;base64,${view.logoJpeg.toString('base64')}">` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Invoice ${escapeHtml(view.number)} — ${escapeHtml(view.businessName)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem;color:#222}table{width:100%;border-collapse:collapse}td,th{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}.r{text-align:right}.logo{max-height:60px}.due{font-size:1.4rem;font-weight:600}.pay{background:#f4f8f4;padding:1rem;border-radius:8px}</style>
</head><body>
<header>${logo}<h1>${escapeHtml(view.businessName)}</h1></header>
<h2>Invoice ${escapeHtml(view.number)}</h2>
<p>${escapeHtml(view.name)}${view.billedPeriod ? ` — ${escapeHtml(view.billedPeriod)}` : ''}<br>Billed to ${escapeHtml(view.customerName)}, account <strong>${escapeHtml(view.accountRef)}</strong><br>Issued ${escapeHtml(view.issueDate)} · Due ${escapeHtml(view.dueDate)} · <span id="status">${escapeHtml(view.status.replace('_', ' '))}</span></p>
<table><thead><tr><th>Item</th><th>Qty</th><th>Unit price</th><th>Tax</th><th class="r">Total</th></tr></thead><tbody>${rows}</tbody></table>
<p class="r">Subtotal ${escapeHtml(view.subtotal)}<br>Tax ${escapeHtml(view.tax)}<br>Total ${escapeHtml(view.total)}<br>Paid ${escapeHtml(view.paid)}</p>
<p class="r due">Balance due <span id="balance">${escapeHtml(view.balance)}</span></p>
<section class="pay"><h3>How to pay</h3>
${view.paybill ? `<p>M-PESA: Lipa na M-PESA → Paybill <strong>${escapeHtml(view.paybill)}</strong>, Account number <strong>${escapeHtml(view.accountRef)}</strong></p>` : ''}
${momo}
<p><img alt="QR code for this page" width="160" height="160" src="data:image/png;base64,${qr}"></p>
<p><a href="${escapeHtml(pdfUrl)}">Download PDF</a></p></section>
</body></html>`;
}
