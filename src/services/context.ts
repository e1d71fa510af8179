/**
 * What every use-case receives: the store, the clock, and who is acting (for the audit trail).
 */
import type { Clock } from '../domain/clock.js';
import type { Store } from '../storage/database.js';

export type ActorType = 'token' | 'user' | 'app' | 'system' | 'cli' | 'provider';

export interface Actor {
  type: ActorType;
  id: string;
  requestId?: string | null;
}

export interface Ctx {
  store: Store;
  clock: Clock;
  actor: Actor;
}

export const systemActor = (job: string): Actor => ({ type: 'system', id: job });

export function actorLabel(actor: Actor): string {
  return `${actor.type}:${actor.id}`;
}

export function withActor(ctx: Ctx, actor: Actor): Ctx {
  return { ...ctx, actor };
}
