/**
 * When to ask a provider again about a payment request that is still open. Payers usually act
 * within a minute or two of the prompt or the SMS, so we look often at first and rarely later;
 * polling stops once the request has expired (one last look just after, to catch a payment made
 * at the last moment). A lost callback is then found within seconds early on, and within the
 * hour at worst.
 */
export const POLL_STEPS: ReadonlyArray<{ untilAgeMs: number; everyMs: number }> = [
  { untilAgeMs: 2 * 60_000, everyMs: 10_000 },
  { untilAgeMs: 30 * 60_000, everyMs: 60_000 },
  { untilAgeMs: 24 * 3600_000, everyMs: 10 * 60_000 },
  { untilAgeMs: Number.POSITIVE_INFINITY, everyMs: 60 * 60_000 },
];

/** How long after expiry a request still reported open is given before we call it expired. */
export const EXPIRY_GRACE_MS = 10 * 60_000;

export function nextPollAt(now: Date, createdAt: Date, expiresAt: Date): Date | null {
  const age = now.getTime() - createdAt.getTime();
  if (now.getTime() > expiresAt.getTime() + EXPIRY_GRACE_MS) return null;
  const step = POLL_STEPS.find((s) => age < s.untilAgeMs)!;
  const next = now.getTime() + step.everyMs;
  // The last look lands just after expiry, not an hour later.
  const lastLook = expiresAt.getTime() + 1_000;
  return new Date(now.getTime() < lastLook ? Math.min(next, lastLook) : Math.min(next, expiresAt.getTime() + EXPIRY_GRACE_MS));
}
