/** The QR code printed on invoices: the pay-page URL (or a MoMo USSD string), as a PNG. */
import QRCode from 'qrcode';

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}
