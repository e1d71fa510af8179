/** Platform configuration from the environment, read once at start. */
import { DEFAULT_DATABASE_URL } from './storage/database.js';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  publicUrl: string;
  adminToken: string | undefined;
  logLevel: string;
  /** Seed 002's development routes under /api/test: off unless asked for. */
  testRoutes: boolean;
  /** Where a generated data key is kept when BILLMANAGER_DATA_KEYS is not set. */
  keyFile: string;
  sms: { provider: 'log' } | { provider: 'africastalking'; username: string; apiKey: string; senderId?: string; baseUrl?: string };
  /** Unset: email is recorded in the outbox and shown in the logs, not sent. */
  smtpUrl: string | undefined;
  mailFrom: string;
}

function smsConfig(env: NodeJS.ProcessEnv): Config['sms'] {
  const provider = env.SMS_PROVIDER ?? 'log';
  if (provider === 'log') return { provider };
  if (provider !== 'africastalking') throw new Error(`SMS_PROVIDER must be log or africastalking (got "${provider}")`);
  if (!env.AT_USERNAME || !env.AT_API_KEY) throw new Error('SMS_PROVIDER=africastalking needs AT_USERNAME and AT_API_KEY');
  return { provider, username: env.AT_USERNAME, apiKey: env.AT_API_KEY, senderId: env.AT_SENDER_ID || undefined, baseUrl: env.AT_BASE_URL || undefined };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}")`);
  const host = env.HOST ?? '127.0.0.1';
  const adminToken = env.BILLMANAGER_ADMIN_TOKEN?.trim() || undefined;
  if (adminToken && adminToken.length < 16) throw new Error('BILLMANAGER_ADMIN_TOKEN must be at least 16 characters');
  return {
    port,
    host,
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    publicUrl: (env.PUBLIC_URL?.trim() || `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, ''),
    adminToken,
    logLevel: env.LOG_LEVEL ?? 'info',
    testRoutes: env.BILLMANAGER_TEST_ROUTES === '1' || env.BILLMANAGER_TEST_ROUTES === 'true',
    keyFile: env.BILLMANAGER_KEY_FILE?.trim() || './data/data-key',
    sms: smsConfig(env),
    smtpUrl: env.SMTP_URL?.trim() || undefined,
    mailFrom: env.MAIL_FROM?.trim() || 'billing@billmanager.local',
  };
}
