import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PDFParse } from 'pdf-parse';
import { qrPng } from '../../src/documents/qr.js';
import { insertShortcode } from '../../src/services/businesses/create-business.js';
import { anInvoice, aPayment } from '../helpers/fixtures.js';
import { testApp } from '../helpers/app.js';
import { decodeQr } from '../helpers/qr.js';
import { ENGINES, openTestStore, type TestStore } from '../helpers/stores.js';


test('the QR code decodes back to the pay-page URL', async () => {
  const url = 'http://127.0.0.1:8080/i/abcDEF123_-xyz';
  assert.equal(decodeQr(await qrPng(url)), url);
});

for (const { engine, skip } of ENGINES) {
  describe(`public invoice page and PDF on ${engine}`, { skip }, () => {
    let store: TestStore;
    let h: Awaited<ReturnType<typeof testApp>>;
    before(async () => { store = await openTestStore(engine); h = await testApp(store); });
    after(async () => { await h?.app.close(); await store?.dispose(); });

    test('the page and the PDF show items, totals, tax, due date and how to pay; a wrong token is a 404', async () => {
      await insertShortcode(store.db, h.business.id, engine === 'sqlite' ? '555001' : '555002', 'paybill', '2026-01-01T00:00:00.000Z');
      const { invoice } = await anInvoice(h.ctx, h.business.id, { accountRef: 'G<70>', shortcode: null, items: [
        { name: 'Rent <unit G70>', quantity: 1, unitPriceMinor: 1_200_000, taxRateBps: 0 },
        { name: 'Water', quantity: 2, unitPriceMinor: 35_050, taxRateBps: 1600 },
      ] });
      const paid = await aPayment(h.ctx, h.business.id, { amountMinor: 200_000, accountRef: 'G<70>', payerName: 'Joan <b>Doe</b>' });
      const page = await h.app.inject({ url: `/i/${invoice.public_token}` });
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /text\/html/);
      assert.ok(page.body.includes('Rent &lt;unit G70&gt;'), 'names are escaped');
      assert.ok(!page.body.includes('<unit G70>'));
      assert.match(page.body, /Balance due <span id="balance">KES 10,813\.16<\/span>/);
      const qrData = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(page.body)![1]!;
      assert.equal(decodeQr(Buffer.from(qrData, 'base64')), `${h.app.services.config.publicUrl}/i/${invoice.public_token}`);

      const pdf = await h.app.inject({ url: `/i/${invoice.public_token}.pdf` });
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const text = (await new PDFParse({ data: pdf.rawPayload }).getText()).text;
      for (const expected of [`Invoice ${invoice.number}`, 'KES 12,000.00', 'KES 112.16', 'Total: KES 12,813.16', 'Paid: KES 2,000.00', 'Balance due: KES 10,813.16', 'Due: 2026-03-31', 'account G<70>', `Paybill ${engine === 'sqlite' ? '555001' : '555002'}, Account number G<70>`]) {
        assert.ok(text.includes(expected), `PDF text holds ${expected}:\n${text}`);
      }
      assert.equal((await h.app.inject({ url: '/i/not-a-real-token-at-all' })).statusCode, 404);

      const receipt = await h.app.inject({ url: `/r/${paid.payment.id}` });
      assert.equal(receipt.statusCode, 200);
      assert.ok(receipt.body.includes('From Joan &lt;b&gt;Doe&lt;/b&gt;'));
      const receiptText = (await new PDFParse({ data: (await h.app.inject({ url: `/r/${paid.payment.id}.pdf` })).rawPayload }).getText()).text.replace(/\s+/g, ' ');
      for (const expected of [`Receipt for payment ${paid.payment.provider_ref}`, 'Received KES 2,000.00 by M-PESA Paybill', `Applied KES 2,000.00 to invoice ${invoice.number}`, 'balance now KES 10,813.16']) {
        assert.ok(receiptText.includes(expected), `receipt holds ${expected}:\n${receiptText}`);
      }
    });
  });
}
