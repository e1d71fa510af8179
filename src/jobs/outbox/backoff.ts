/**
 * Retry policy: exponential backoff with jitter, so a provider that comes back after an outage is
 * not hit by every queued message in the same second. Attempt n (from 1) waits between half and
 * all of base × 2^(n−1), capped.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 5_000, capMs: 60 * 60_000 };

export function retryDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
