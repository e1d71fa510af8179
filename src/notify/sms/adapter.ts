/** What every SMS provider adapter answers, so the outbox worker can decide: done, try again, or give up. */
export interface SmsResult {
  outcome: 'sent' | 'retryable' | 'failed';
  providerMessageId: string | null;
  detail: string;
}

export interface SmsAdapter {
  readonly name: string;
  send(message: { to: string; text: string; senderId?: string }): Promise<SmsResult>;
}
