/**
 * Africa's Talking delivery reports (form-encoded, sometimes JSON): id, status, phoneNumber,
 * networkCode, failureReason, retryCount. Success, Failed and Rejected are final; Sent, Submitted
 * and Buffered are on the way. Each report is kept, linked to the outbox message it is about.
 */
import { invalid } from '../../../domain/errors.js';
import { newId } from '../../../domain/ids.js';
import type { Q } from '../../../services/tx.js';

export const FINAL_STATUSES = new Set(['Success', 'Failed', 'Rejected']);
const KNOWN_STATUSES = new Set(['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed', 'AbsentSubscriber', 'Expired']);

export interface DeliveryReport {
  providerMessageId: string;
  status: string;
  phone: string | null;
  networkCode: string | null;
  failureReason: string | null;
  retryCount: number | null;
}

export function parseDeliveryReport(body: unknown): DeliveryReport {
  const b = (body ?? {}) as Record<string, unknown>;
  const text = (name: string): string | null => (b[name] === undefined || b[name] === null || b[name] === '' ? null : String(b[name]).slice(0, 200));
  const providerMessageId = text('id');
  const status = text('status');
  if (!providerMessageId) throw invalid('id', 'is required');
  if (!status || !KNOWN_STATUSES.has(status)) throw invalid('status', `unknown delivery status ${status}`);
  const retry = text('retryCount');
  return { providerMessageId, status, phone: text('phoneNumber'), networkCode: text('networkCode'), failureReason: text('failureReason'), retryCount: retry === null ? null : Number(retry) || 0 };
}

export async function storeDeliveryReport(q: Q, now: Date, report: DeliveryReport): Promise<{ messageId: string | null }> {
  const message = await q.selectFrom('outbox_messages').select(['id', 'business_id']).where('provider_message_id', '=', report.providerMessageId).executeTakeFirst();
  await q.insertInto('sms_delivery_reports').values({
    id: newId('dlr'), business_id: message?.business_id ?? null, message_id: message?.id ?? null, provider_message_id: report.providerMessageId,
    status: report.status, final: FINAL_STATUSES.has(report.status) ? 1 : 0, phone: report.phone, network_code: report.networkCode,
    failure_reason: report.failureReason, retry_count: report.retryCount, received_at: now.toISOString(),
  }).execute();
  return { messageId: message?.id ?? null };
}
