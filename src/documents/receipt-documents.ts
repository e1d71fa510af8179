/** The receipt as a PDF and as an HTML page, from one view. */
import { escapeHtml } from './escape-html.js';
import PDFDocument from 'pdfkit';
import type { ReceiptView } from './receipt-view.js';


function lines(view: ReceiptView): string[] {
  return [
    `Receipt for payment ${view.reference}`,
    `Received ${view.amount} by ${view.rail} on ${view.receivedAt.slice(0, 10)}`,
    ...(view.payerName || view.payerPhone ? [`From ${[view.payerName, view.payerPhone].filter(Boolean).join(', ')}`] : []),
    ...(view.accountRef ? [`Account reference ${view.accountRef}`] : []),
    ...view.applied.map((a) => `Applied ${a.amount} to invoice ${a.invoiceNumber} (${a.invoiceName}); balance now ${a.balanceAfter}`),
    ...(view.unapplied.endsWith(' 0.00') || view.unapplied.endsWith(' 0') ? [] : [`Held as credit on your account: ${view.unapplied}`]),
  ];
}

export async function renderReceiptPdf(view: ReceiptView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A5', margin: 36, info: { Title: `Receipt ${view.reference}`, Author: view.businessName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.fontSize(16).text(view.businessName).moveDown();
  for (const line of lines(view)) doc.fontSize(10).text(line);
  doc.moveDown().fontSize(9).text('Thank you.');
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

export function renderReceiptHtml(view: ReceiptView): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Receipt ${escapeHtml(view.reference)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:560px;margin:2rem auto;padding:0 1rem}</style></head><body>
<h1>${escapeHtml(view.businessName)}</h1>${lines(view).map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p>Thank you.</p></body></html>`;
}
