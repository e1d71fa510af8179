/** Everything a printed or shown invoice needs, read once: the same view feeds the HTML page and the PDF. */
import { formatMoney, formatRateBps } from '../domain/money.js';
import { getInvoiceDetail } from '../services/invoices/get-invoice.js';
import { momoPresentation, type MomoPresentation } from '../services/momo/momo-presentation.js';
import type { Q } from '../services/tx.js';

export interface InvoiceView {
  businessName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  logoJpeg: Buffer | null;
  number: string;
  name: string;
  status: string;
  issueDate: string;
  dueDate: string;
  billedPeriod: string | null;
  customerName: string;
  accountRef: string;
  items: Array<{ name: string; quantity: number; unitPrice: string; taxRate: string; total: string }>;
  subtotal: string;
  tax: string;
  total: string;
  paid: string;
  balance: string;
  balanceMinor: number;
  paybill: string | null;
  payUrl: string;
  publicToken: string;
  qrText: string;
  /** A live MoMo invoice: the USSD string (also as a second QR code) and the dial-and-enter steps. */
  momo: MomoPresentation | null;
}

/** `at`: the moment shown (a MoMo reference that has expired by then is not offered). */
export async function invoiceView(q: Q, businessId: string, invoiceId: string, publicUrl: string, at: Date = new Date()): Promise<InvoiceView> {
  const detail = await getInvoiceDetail(q, businessId, invoiceId);
  const business = await q.selectFrom('businesses').select('name').where('id', '=', businessId).executeTakeFirstOrThrow();
  const shortcode = detail.invoice.shortcode
    ?? (await q.selectFrom('shortcodes').select('shortcode').where('business_id', '=', businessId).where('kind', '=', 'paybill').orderBy('created_at').executeTakeFirst())?.shortcode
    ?? null;
  const optin = shortcode ? await q.selectFrom('billmanager_optins').select(['email', 'official_contact', 'logo_jpeg_base64']).where('shortcode', '=', shortcode).executeTakeFirst() : undefined;
  const c = detail.currency;
  const payUrl = `${publicUrl}/i/${detail.invoice.public_token}`;
  return {
    businessName: business.name,
    contactEmail: optin?.email ?? null,
    contactPhone: optin?.official_contact ?? null,
    logoJpeg: optin?.logo_jpeg_base64 ? Buffer.from(optin.logo_jpeg_base64, 'base64') : null,
    number: detail.invoice.number, name: detail.invoice.name, status: detail.invoice.status,
    issueDate: detail.invoice.issue_date, dueDate: detail.invoice.due_date, billedPeriod: detail.invoice.billed_period,
    customerName: detail.customer.name, accountRef: detail.customer.accountRef,
    items: detail.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: formatMoney(i.unitPriceMinor, c), taxRate: `${formatRateBps(i.taxRateBps)}%`, total: formatMoney(i.totalMinor, c) })),
    subtotal: formatMoney(Number(detail.invoice.subtotal_minor), c), tax: formatMoney(Number(detail.invoice.tax_minor), c), total: formatMoney(Number(detail.invoice.total_minor), c),
    paid: formatMoney(detail.paidMinor, c), balance: formatMoney(detail.balanceMinor, c), balanceMinor: detail.balanceMinor,
    paybill: shortcode, payUrl, publicToken: detail.invoice.public_token, qrText: payUrl,
    momo: detail.balanceMinor > 0 ? await momoPresentation(q, invoiceId, at) : null,
  };
}
