/**
 * The outbox worker: claim due messages, deliver each through its channel's sender outside any
 * transaction, record the outcome under the lease. Safe to run in every server process.
 */
import type { Clock } from '../../domain/clock.js';
import { newSecret } from '../../domain/ids.js';
import type { Store } from '../../storage/database.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { claimDue, type Claimed } from './claim.js';
import { completeDelivery, type DeliveryOutcome } from './complete.js';

/** Delivers one message. Throwing counts as a retryable failure. */
export type Sender = (message: Claimed, payload: Record<string, unknown>) => Promise<DeliveryOutcome>;

export interface WorkerOptions {
  store: Store;
  clock: Clock;
  senders: Partial<Record<string, Sender>>;
  /** Claim only these channels (default: every channel that has a sender). */
  channels?: readonly string[];
  workerId?: string;
  leaseMs?: number;
  batchSize?: number;
  pollMs?: number;
  backoff?: BackoffPolicy;
  log?: { warn: (obj: object, msg: string) => void };
}

export class OutboxWorker {
  readonly id: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = false;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `worker-${newSecret(4)}`;
  }

  /** One pass: claims up to a batch and delivers it. Returns how many messages were handled. */
  async tick(): Promise<number> {
    const { store, clock } = this.opts;
    const channels = this.opts.channels ?? Object.keys(this.opts.senders);
    const claimed = await claimDue(store, this.id, clock.now(), this.opts.leaseMs ?? 60_000, this.opts.batchSize ?? 20, channels);
    for (const message of claimed) {
      if (this.#stopped) break;
      await this.deliver(message);
    }
    return claimed.length;
  }

  async deliver(message: Claimed): Promise<void> {
    const { store, clock } = this.opts;
    const startedAt = clock.now();
    const sender = this.opts.senders[message.channel];
    let result: DeliveryOutcome;
    if (!sender) {
      result = { outcome: 'failed', detail: `no sender configured for channel ${message.channel}` };
    } else {
      try {
        result = await sender(message, JSON.parse(message.payload_json) as Record<string, unknown>);
      } catch (error) {
        result = { outcome: 'retryable', detail: error instanceof Error ? error.message : String(error) };
      }
    }
    const completion = await completeDelivery(store, message, this.id, startedAt, clock.now(), result, this.opts.backoff ?? DEFAULT_BACKOFF);
    if (!completion.leaseHeld) this.opts.log?.warn({ messageId: message.id }, 'outbox lease lost before completion; outcome logged only');
  }

  /** Polls until stopped; each pass runs to the end before the next is scheduled. */
  start(): void {
    this.#stopped = false;
    const loop = async (): Promise<void> => {
      if (this.#stopped) return;
      let handled = 0;
      try {
        handled = await this.tick();
      } catch (error) {
        this.opts.log?.warn({ err: error }, 'outbox pass failed');
      }
      if (!this.#stopped) this.#timer = setTimeout(() => { this.#running = loop(); }, handled > 0 ? 0 : this.opts.pollMs ?? 1_000);
    };
    this.#running = loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
