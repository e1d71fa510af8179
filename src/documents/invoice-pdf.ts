/** The invoice as a PDF (pdfkit): logo, items, totals, tax, due date, and how to pay with a QR code. */
import PDFDocument from 'pdfkit';
import type { InvoiceView } from './invoice-view.js';
import { qrPng } from './qr.js';

export async function renderInvoicePdf(view: InvoiceView): Promise<Buffer> {
  const qr = await qrPng(view.qrText);
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Invoice ${view.number}`, Author: view.businessName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve) => doc.on('end', () => resolve()));

  if (view.logoJpeg) doc.image(view.logoJpeg, 48, 40, { fit: [120, 60] });
  doc.fontSize(18).text(view.businessName, 200, 48, { align: 'right' });
  doc.fontSize(9).text([view.contactEmail, view.contactPhone].filter(Boolean).join('  ·  '), { align: 'right' });
  doc.moveDown(2).fontSize(14).text(`Invoice ${view.number}`, 48);
  doc.fontSize(10).text(`${view.name}${view.billedPeriod ? ` — ${view.billedPeriod}` : ''}`)
    .text(`Billed to: ${view.customerName} (account ${view.accountRef})`)
    .text(`Issued: ${view.issueDate}    Due: ${view.dueDate}    Status: ${view.status.replace('_', ' ')}`);
  doc.moveDown();
  const columns = [48, 300, 350, 420, 480];
  doc.fontSize(9).text('Item', columns[0], doc.y, { continued: false });
  let y = doc.y;
  for (const item of view.items) {
    doc.text(item.name, columns[0]!, y, { width: 240 });
    doc.text(String(item.quantity), columns[1]!, y);
    doc.text(item.unitPrice, columns[2]!, y, { width: 70 });
    doc.text(item.taxRate, columns[3]!, y);
    doc.text(item.total, columns[4]!, y, { width: 80, align: 'right' });
    y = doc.y + 4;
  }
  doc.moveDown();
  for (const [label, value] of [['Subtotal', view.subtotal], ['Tax', view.tax], ['Total', view.total], ['Paid', view.paid], ['Balance due', view.balance]] as const) {
    doc.fontSize(label === 'Balance due' ? 11 : 9).text(`${label}: ${value}`, 300, doc.y, { width: 260, align: 'right' });
  }
  doc.moveDown(2).fontSize(11).text('How to pay', 48);
  doc.fontSize(9);
  if (view.paybill) doc.text(`M-PESA: Lipa na M-PESA > Paybill ${view.paybill}, Account number ${view.accountRef}`);
  if (view.momo) doc.text(`MTN MoMo: dial ${view.momo.ussd} (payment reference ${view.momo.paymentReference}). ${view.momo.instructions}`);
  doc.text(`Online (M-PESA prompt or card): ${view.payUrl}`);
  const top = doc.y + 8;
  doc.image(qr, 48, top, { width: 110 });
  // The MoMo code sits beside the page's: scanning it opens the dialler with the USSD string.
  if (view.momo) doc.image(await qrPng(view.momo.ussd), 180, top, { width: 110 });
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}
