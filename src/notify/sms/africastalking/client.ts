/**
 * Africa's Talking messaging (specs/africastalking.md) with a configurable base URL. Success is
 * HTTP 201 even when the recipient was refused: the recipient's own statusCode decides. 4xx per
 * recipient is final (a bad number stays bad); 5xx, timeouts and network errors are worth a retry.
 */
import type { SmsAdapter, SmsResult } from '../adapter.js';

export const AT_HOSTS = { live: 'https://api.africastalking.com', sandbox: 'https://api.sandbox.africastalking.com' } as const;

export interface AfricasTalkingConfig {
  username: string;
  apiKey: string;
  senderId?: string;
  baseUrl?: string;
  timeoutMs?: number;
}

interface Recipient { statusCode: number; number: string; status: string; cost?: string; messageId?: string }

export class AfricasTalkingAdapter implements SmsAdapter {
  readonly name = 'africastalking';
  constructor(private readonly config: AfricasTalkingConfig, private readonly fetchImpl: typeof fetch = fetch) {}

  private get baseUrl(): string {
    return (this.config.baseUrl ?? (this.config.username === 'sandbox' ? AT_HOSTS.sandbox : AT_HOSTS.live)).replace(/\/+$/, '');
  }

  async send(message: { to: string; text: string; senderId?: string }): Promise<SmsResult> {
    const form = new URLSearchParams({ username: this.config.username, to: message.to, message: message.text, bulkSMSMode: '1' });
    const from = message.senderId ?? this.config.senderId;
    if (from) form.set('from', from);
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/version1/messaging`, {
        method: 'POST', body: form, signal: AbortSignal.timeout(this.config.timeoutMs ?? 15_000),
        headers: { apiKey: this.config.apiKey, Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    } catch (error) {
      return { outcome: 'retryable', providerMessageId: null, detail: `unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
    const text = await res.text();
    if (res.status >= 500 || res.status === 429) return { outcome: 'retryable', providerMessageId: null, detail: `HTTP ${res.status}` };
    if (res.status !== 201 && res.status !== 200) return { outcome: 'failed', providerMessageId: null, detail: `HTTP ${res.status}: ${text.slice(0, 200)}` };
    let recipient: Recipient | undefined;
    try {
      recipient = (JSON.parse(text) as { SMSMessageData?: { Recipients?: Recipient[] } }).SMSMessageData?.Recipients?.[0];
    } catch {
      return { outcome: 'retryable', providerMessageId: null, detail: 'unreadable reply' };
    }
    if (!recipient) return { outcome: 'failed', providerMessageId: null, detail: 'no recipient in the reply' };
    const detail = `${recipient.statusCode} ${recipient.status}${recipient.cost ? `, ${recipient.cost}` : ''}`;
    if (recipient.statusCode >= 100 && recipient.statusCode <= 102) return { outcome: 'sent', providerMessageId: recipient.messageId ?? null, detail };
    return { outcome: recipient.statusCode >= 500 ? 'retryable' : 'failed', providerMessageId: null, detail };
  }
}
