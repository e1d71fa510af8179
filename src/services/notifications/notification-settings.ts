/**
 * A business's own SMS and email providers and reminder hour. Unset fields fall back to the
 * platform's defaults from the environment. API keys and SMTP URLs (which carry passwords) are
 * sealed at rest and never read back.
 */
import { invalid } from '../../domain/errors.js';
import { seal, type KeyRing } from '../../security/secret-box.js';
import type { NotificationSettingsTable } from '../../storage/schema.js';
import { recordAudit } from '../audit.js';
import type { Ctx } from '../context.js';
import type { Q } from '../tx.js';

export const DEFAULT_REMINDER_HOUR = 9;

export interface NotificationSettingsInput {
  smsProvider?: 'log' | 'africastalking' | null;
  atUsername?: string | null;
  atApiKey?: string;
  atSenderId?: string | null;
  atBaseUrl?: string | null;
  smtpUrl?: string;
  mailFrom?: string | null;
  reminderHour?: number;
}

export async function putNotificationSettings(ctx: Ctx, keys: KeyRing, businessId: string, input: NotificationSettingsInput): Promise<NotificationSettingsTable> {
  const existing = await notificationSettingsOf(ctx.store.db, businessId);
  const reminderHour = input.reminderHour ?? existing?.reminder_hour ?? DEFAULT_REMINDER_HOUR;
  if (!Number.isInteger(reminderHour) || reminderHour < 0 || reminderHour > 23) throw invalid('reminder_hour', 'must be a whole hour from 0 to 23');
  const row: NotificationSettingsTable = {
    business_id: businessId,
    sms_provider: input.smsProvider === undefined ? existing?.sms_provider ?? null : input.smsProvider,
    at_username: input.atUsername === undefined ? existing?.at_username ?? null : input.atUsername,
    at_api_key_sealed: input.atApiKey ? seal(keys, input.atApiKey) : existing?.at_api_key_sealed ?? null,
    at_sender_id: input.atSenderId === undefined ? existing?.at_sender_id ?? null : input.atSenderId,
    at_base_url: input.atBaseUrl === undefined ? existing?.at_base_url ?? null : input.atBaseUrl,
    smtp_url_sealed: input.smtpUrl ? seal(keys, input.smtpUrl) : existing?.smtp_url_sealed ?? null,
    mail_from: input.mailFrom === undefined ? existing?.mail_from ?? null : input.mailFrom,
    reminder_hour: reminderHour,
    updated_at: ctx.clock.now().toISOString(),
  };
  if (row.sms_provider === 'africastalking' && (!row.at_username || !row.at_api_key_sealed)) throw invalid('at_api_key', "Africa's Talking needs a username and an API key");
  if (input.smtpUrl && !/^smtps?:\/\//.test(input.smtpUrl)) throw invalid('smtp_url', 'must be smtp://… or smtps://…');
  await ctx.store.db.transaction().execute(async (trx) => {
    if (existing) await trx.updateTable('notification_settings').set(row).where('business_id', '=', businessId).execute();
    else await trx.insertInto('notification_settings').values(row).execute();
    await recordAudit(trx, ctx, { businessId, action: 'notifications.settings_saved', entityType: 'notification_settings', entityId: businessId, data: { sms_provider: row.sms_provider, reminder_hour: row.reminder_hour } });
  });
  return row;
}

export function notificationSettingsOf(q: Q, businessId: string): Promise<NotificationSettingsTable | undefined> {
  return q.selectFrom('notification_settings').selectAll().where('business_id', '=', businessId).executeTakeFirst();
}

export function publicNotificationSettings(row: NotificationSettingsTable | undefined) {
  return {
    sms_provider: row?.sms_provider ?? null, at_username: row?.at_username ?? null, has_at_api_key: !!row?.at_api_key_sealed,
    at_sender_id: row?.at_sender_id ?? null, at_base_url: row?.at_base_url ?? null, has_smtp_url: !!row?.smtp_url_sealed,
    mail_from: row?.mail_from ?? null, reminder_hour: row?.reminder_hour ?? DEFAULT_REMINDER_HOUR,
  };
}

/** The local time reminders go out at, for invoiceMessages. */
export async function reminderTimeOf(q: Q, businessId: string): Promise<string> {
  const hour = (await notificationSettingsOf(q, businessId))?.reminder_hour ?? DEFAULT_REMINDER_HOUR;
  return `${String(hour).padStart(2, '0')}:00:00`;
}
