/**
 * The public checkout routes (seed 002). Invoice numbers are sequential, so a payer reaches an
 * invoice only by its unguessable public token (the one in the SMS link and the QR code); every
 * answer is about that one invoice or payment and nothing else.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { notFound } from '../../domain/errors.js';
import { invoiceView } from '../../documents/invoice-view.js';

const Token = Type.Object({ token: Type.String({ minLength: 10, maxLength: 80 }) });

async function invoiceByToken(app: FastifyInstance, token: string) {
  const invoice = await app.services.store.db.selectFrom('invoices').select(['id', 'business_id']).where('public_token', '=', token).executeTakeFirst();
  if (!invoice) throw notFound('invoice');
  return invoice;
}

async function methodsFor(app: FastifyInstance, businessId: string) {
  const mpesa = await app.services.store.db.selectFrom('mpesa_settings').select(['shortcode', 'shortcode_type', 'passkey_sealed']).where('business_id', '=', businessId).executeTakeFirst();
  const momo = await app.services.store.db.selectFrom('momo_settings').select('currency').where('business_id', '=', businessId).where('enabled', '=', 1).executeTakeFirst();
  const card = await app.services.store.db.selectFrom('pesapal_settings').select('business_id').where('business_id', '=', businessId).executeTakeFirst();
  const shortcode = mpesa?.shortcode ?? (await app.services.store.db.selectFrom('shortcodes').select('shortcode').where('business_id', '=', businessId).orderBy('created_at').executeTakeFirst())?.shortcode;
  return [
    ...(shortcode ? [{ method: 'mpesa_paybill', name: mpesa?.shortcode_type === 'till' ? 'M-PESA Buy Goods' : 'M-PESA Paybill', shortcode }] : []),
    ...(mpesa?.passkey_sealed ? [{ method: 'mpesa_stk', name: 'M-PESA prompt on your phone', initiate: '/api/payments/mpesa/initiate' }] : []),
    ...(momo ? [{ method: 'momo_ussd', name: 'MTN MoMo (dial the USSD string)', initiate: '/api/payments/momo/invoice' }, { method: 'momo_rtp', name: 'MTN MoMo prompt on your phone', initiate: '/api/payments/momo/request-to-pay' }] : []),
    ...(card ? [{ method: 'card', name: 'Card (Pesapal)', initiate: '/api/payments/pesapal/initiate' }] : []),
  ];
}

export async function checkoutRoutes(app: FastifyInstance): Promise<void> {
  app.get('/payment-methods', { schema: { tags: ['checkout'], summary: 'Payment methods enabled for the invoice’s business', querystring: Type.Object({ token: Type.String({ minLength: 10, maxLength: 80 }) }, { additionalProperties: false }) } },
    async (request) => ({ methods: await methodsFor(app, (await invoiceByToken(app, (request.query as { token: string }).token)).business_id) }));

  app.get('/invoices/:token', { schema: { tags: ['checkout'], summary: 'An invoice by its public token', params: Token } }, async (request) => {
    const invoice = await invoiceByToken(app, (request.params as { token: string }).token);
    const view = await invoiceView(app.services.store.db, invoice.business_id, invoice.id, app.services.config.publicUrl, app.services.clock.now());
    return { number: view.number, name: view.name, business: view.businessName, customer: view.customerName, account_reference: view.accountRef, status: view.status,
      issue_date: view.issueDate, due_date: view.dueDate, items: view.items, subtotal: view.subtotal, tax: view.tax, total: view.total, paid: view.paid, balance: view.balance };
  });

  app.get('/invoices/:token/pay', { schema: { tags: ['checkout'], summary: 'What the pay page needs: balance and each method with its instructions', params: Token } }, async (request) => {
    const token = (request.params as { token: string }).token;
    const invoice = await invoiceByToken(app, token);
    const view = await invoiceView(app.services.store.db, invoice.business_id, invoice.id, app.services.config.publicUrl, app.services.clock.now());
    const instructions: Record<string, string> = {
      mpesa_stk: 'Enter your M-PESA number and confirm the prompt on your phone with your PIN',
      momo_ussd: view.momo ? `Dial ${view.momo.ussd}. ${view.momo.instructions}` : 'Ask for the MoMo payment reference (POST the initiate URL)',
      momo_rtp: 'Enter your MTN MoMo number and approve the prompt on your phone',
      card: 'Pay by card on Pesapal’s page',
    };
    const methods = (await methodsFor(app, invoice.business_id)).map((m) => (m.method === 'mpesa_paybill'
      ? { ...m, instructions: `Lipa na M-PESA > ${m.name} ${m.shortcode}, Account number ${view.accountRef}, amount ${view.balance}` }
      : { ...m, invoice_id: token, instructions: instructions[m.method] ?? '', ...(m.method === 'momo_ussd' && view.momo ? { ussd: view.momo.ussd, payment_reference: view.momo.paymentReference } : {}) }));
    return { invoice: { number: view.number, status: view.status, balance: view.balance, balance_minor: view.balanceMinor }, methods, pay_url: view.payUrl, pdf_url: `${view.payUrl}.pdf` };
  });

  app.get('/payments/:reference/status', { schema: { tags: ['checkout'], summary: 'Status of a payment across rails, by its reference (STK checkout id or provider transaction id)', params: Type.Object({ reference: Type.String({ minLength: 6, maxLength: 100 }) }) } },
    async (request) => {
      const reference = (request.params as { reference: string }).reference;
      const db = app.services.store.db;
      const stk = await db.selectFrom('stk_requests').select(['status', 'updated_at']).where('checkout_request_id', '=', reference).executeTakeFirst();
      if (stk) return { reference, rail: 'mpesa_stk', status: stk.status, updated_at: stk.updated_at };
      const momo = await db.selectFrom('momo_requests').select(['status', 'updated_at']).where('id', '=', reference).executeTakeFirst();
      if (momo) return { reference, rail: 'momo', status: momo.status, updated_at: momo.updated_at };
      const payment = await db.selectFrom('payments').select(['rail', 'customer_id', 'created_at']).where('provider_ref', '=', reference).executeTakeFirst();
      if (!payment) throw notFound('payment');
      return { reference, rail: payment.rail, status: payment.customer_id ? 'received' : 'received_unmatched', updated_at: payment.created_at };
    });
}
