/** A business's notification settings through the admin API: its own SMS provider, SMTP server and reminder hour. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { businessOf, requestCtx, requireRole } from '../native/auth.js';
import { notificationSettingsOf, publicNotificationSettings, putNotificationSettings } from '../../services/notifications/notification-settings.js';

const Body = Type.Object({
  sms_provider: Type.Optional(Type.Union([Type.Literal('log'), Type.Literal('africastalking'), Type.Null()])),
  at_username: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
  at_api_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  at_sender_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 11 }), Type.Null()])),
  at_base_url: Type.Optional(Type.Union([Type.String({ pattern: '^https?://', maxLength: 300 }), Type.Null()])),
  smtp_url: Type.Optional(Type.String({ pattern: '^smtps?://', maxLength: 500 })),
  mail_from: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 254 }), Type.Null()])),
  reminder_hour: Type.Optional(Type.Integer({ minimum: 0, maximum: 23 })),
}, { additionalProperties: false });

export async function notificationSettingsRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  app.put('/admin/notifications', { preHandler: requireRole('admin'), schema: { tags: ['notifications'], summary: 'Set this business’s SMS provider, SMTP server and reminder hour (secrets sealed, never read back)', body: Body, security } },
    async (request) => {
      const body = request.body as Static<typeof Body>;
      const row = await putNotificationSettings(requestCtx(request), request.server.services.keys, businessOf(request), {
        smsProvider: body.sms_provider, atUsername: body.at_username, atApiKey: body.at_api_key, atSenderId: body.at_sender_id, atBaseUrl: body.at_base_url,
        smtpUrl: body.smtp_url, mailFrom: body.mail_from, reminderHour: body.reminder_hour,
      });
      return publicNotificationSettings(row);
    });
  app.get('/admin/notifications', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['notifications'], summary: 'This business’s notification settings, without secrets', security } },
    async (request) => publicNotificationSettings(await notificationSettingsOf(request.server.services.store.db, businessOf(request))));
}
