/**
 * Message templates: plain text files with {{variable}} placeholders, in English and Swahili,
 * under templates/<channel>/<language>/<kind>.txt. A business can override any of them in
 * <BILLMANAGER_TEMPLATES_DIR>/<businessId>/<channel>/<language>/<kind>.txt. A placeholder without a
 * value is an error, never a message with a hole in it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../domain/errors.js';

export const TEMPLATE_KINDS = ['invoice', 'reminder', 'receipt', 'cancellation', 'overdue'] as const;
export const LANGUAGES = ['en', 'sw'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];
export type Language = (typeof LANGUAGES)[number];

const BUILTIN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../templates');
const cache = new Map<string, string>();

function load(path: string): string | undefined {
  if (cache.has(path)) return cache.get(path);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  cache.set(path, text);
  return text;
}

export function templateText(channel: 'sms' | 'email', kind: string, language: string, businessId?: string, overrideDir = process.env.BILLMANAGER_TEMPLATES_DIR): string {
  if (!(TEMPLATE_KINDS as readonly string[]).includes(kind)) throw new AppError('validation_failed', `unknown template ${kind}`, { field: 'template' });
  const lang = (LANGUAGES as readonly string[]).includes(language) ? language : 'en';
  const candidates = [
    ...(overrideDir && businessId ? [join(overrideDir, businessId, channel, lang, `${kind}.txt`)] : []),
    join(BUILTIN_DIR, channel, lang, `${kind}.txt`),
  ];
  for (const path of candidates) {
    const text = load(path);
    if (text !== undefined) return text;
  }
  throw new AppError('internal', `template ${channel}/${lang}/${kind} is missing`);
}

export function renderTemplate(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (_, name: string) => {
    const value = vars[name];
    if (value === undefined || value === null) throw new AppError('validation_failed', `template needs a value for {{${name}}}`, { field: name });
    return String(value);
  }).replace(/[ \t]+$/gm, '');
}
