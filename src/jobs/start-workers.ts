/**
 * The background work a server process runs beside HTTP: the outbox worker and the periodic jobs.
 * Every process may run them; leases and guarded updates keep them from doing anything twice.
 */
import type { Clock } from '../domain/clock.js';
import { webhookSender } from '../services/billmanager/payment-push.js';
import type { Store } from '../storage/database.js';
import type { KeyRing } from '../security/secret-box.js';
import type { Config } from '../config.js';
import type { SmsAdapter } from '../notify/sms/adapter.js';
import { AfricasTalkingAdapter } from '../notify/sms/africastalking/client.js';
import { LogSmsAdapter } from '../notify/sms/log-adapter.js';
import { smsSender } from '../notify/sms/sms-sender.js';
import { OutboxWorker, type Sender } from './outbox/worker.js';
import { runOverdueJob } from './overdue-job.js';
import { queryPendingStkPushes } from '../services/mpesa/stk-query-job.js';
import { confirmPendingPesapalOrders } from '../services/pesapal/pesapal-orders.js';
import { momoSender } from '../services/momo/momo-sender.js';
import { ensureMomoInvoice } from '../services/momo/momo-invoices.js';
import { pollDueMomoRequests } from '../services/momo/momo-poll-job.js';

export interface Workers {
  stop(): Promise<void>;
}

export const OVERDUE_EVERY_MS = 10 * 60_000;
export const STK_QUERY_EVERY_MS = 30_000;
/** MoMo requests carry their own schedule (next_poll_at); this is only how often we look for due ones. */
export const MOMO_POLL_EVERY_MS = 5_000;

export function smsAdapterFor(config: Config['sms'], log?: { info: (o: object, m: string) => void }): SmsAdapter {
  return config.provider === 'africastalking' ? new AfricasTalkingAdapter(config) : new LogSmsAdapter(log);
}

export function startWorkers(opts: { store: Store; clock: Clock; keys: KeyRing; sms: SmsAdapter; email: Sender; log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void }; senders?: Record<string, Sender>; publicUrl: () => string }): Workers {
  const senders: Record<string, Sender> = {
    webhook: webhookSender(opts.store, opts.keys, () => Math.floor(opts.clock.now().getTime() / 1000)),
    sms: smsSender(opts.store, opts.sms, () => opts.clock.now(), opts.keys,
      (businessId, invoiceId) => ensureMomoInvoice({ store: opts.store, clock: opts.clock, actor: { type: 'system', id: 'reminders' } }, opts.keys, businessId, invoiceId, opts.publicUrl())),
    email: opts.email,
    momo: momoSender(opts.store, opts.keys, opts.clock, opts.publicUrl),
    ...opts.senders,
  };
  const worker = new OutboxWorker({ store: opts.store, clock: opts.clock, senders, log: opts.log });
  worker.start();
  const ctx = { store: opts.store, clock: opts.clock, actor: { type: 'system' as const, id: 'scheduler' } };
  const overdue = setInterval(() => {
    runOverdueJob(ctx).then((n) => { if (n > 0) opts.log.info({ marked: n }, 'invoices marked overdue'); })
      .catch((error: unknown) => opts.log.warn({ err: error }, 'overdue job failed'));
  }, OVERDUE_EVERY_MS);
  overdue.unref();
  const stkQuery = setInterval(() => {
    queryPendingStkPushes(ctx, opts.keys).then((n) => { if (n > 0) opts.log.info({ settled: n }, 'STK pushes settled by query'); })
      .catch((error: unknown) => opts.log.warn({ err: error }, 'STK query job failed'));
  }, STK_QUERY_EVERY_MS);
  stkQuery.unref();
  const pesapal = setInterval(() => {
    confirmPendingPesapalOrders(ctx, opts.keys).then((n) => { if (n > 0) opts.log.info({ settled: n }, 'Pesapal orders settled by status query'); })
      .catch((error: unknown) => opts.log.warn({ err: error }, 'Pesapal status job failed'));
  }, STK_QUERY_EVERY_MS * 2);
  pesapal.unref();
  let momoRunning = false;
  const momo = setInterval(() => {
    if (momoRunning) return;
    momoRunning = true;
    pollDueMomoRequests(ctx, opts.keys, opts.publicUrl(), { onError: (id, error) => opts.log.warn({ err: error, momoRequest: id }, 'MoMo status read failed') })
      .then((n) => { if (n > 0) opts.log.info({ looked: n }, 'MoMo requests polled'); })
      .catch((error: unknown) => opts.log.warn({ err: error }, 'MoMo poll job failed'))
      .finally(() => { momoRunning = false; });
  }, MOMO_POLL_EVERY_MS);
  momo.unref();
  return {
    async stop() {
      clearInterval(overdue);
      clearInterval(stkQuery);
      clearInterval(pesapal);
      clearInterval(momo);
      await worker.stop();
    },
  };
}
