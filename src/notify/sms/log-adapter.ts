/** SMS_PROVIDER=log: messages are recorded and shown in the logs, not sent (development, demos). */
import type { SmsAdapter, SmsResult } from './adapter.js';

export class LogSmsAdapter implements SmsAdapter {
  readonly name = 'log';
  readonly sent: Array<{ to: string; text: string }> = [];
  constructor(private readonly log?: { info: (o: object, m: string) => void }) {}

  async send(message: { to: string; text: string }): Promise<SmsResult> {
    this.sent.push(message);
    this.log?.info({ to: message.to, text: message.text }, 'SMS (log provider, not sent)');
    return { outcome: 'sent', providerMessageId: `log-${this.sent.length}`, detail: 'logged' };
  }
}
