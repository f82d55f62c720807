import type { Clock } from '../clock.ts';

/**
 * A sliding-window limiter kept in memory: `limit` events per key per `windowMs`. Used for
 * login failures and the token endpoint. Per instance: N instances allow N times the limit,
 * which still turns online guessing from millions of tries into a handful.
 */
export interface AttemptLimiter {
  /** Seconds to wait when the key is over its limit, else 0. */
  retryAfter(key: string): number;
  hit(key: string): void;
  reset(key: string): void;
}

export function createAttemptLimiter(opts: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}): AttemptLimiter {
  const hits = new Map<string, number[]>();
  const maxKeys = opts.maxKeys ?? 100_000;

  // Per key, the times of at most the last `limit` hits, oldest first: all a decision needs,
  // so a check costs O(1) amortised however busy the key is (the token endpoint is hot).
  const recent = (key: string): number[] => {
    const cutoff = opts.clock.now().getTime() - opts.windowMs;
    const kept = hits.get(key) ?? [];
    while (kept.length > 0 && kept[0]! <= cutoff) kept.shift();
    if (kept.length === 0) hits.delete(key);
    return kept;
  };

  return {
    retryAfter(key) {
      const kept = recent(key);
      if (kept.length < opts.limit) return 0;
      const oldest = kept[kept.length - opts.limit]!;
      return Math.max(1, Math.ceil((oldest + opts.windowMs - opts.clock.now().getTime()) / 1000));
    },
    hit(key) {
      if (!hits.has(key) && hits.size >= maxKeys) {
        // Bounded memory under a flood of distinct keys: drop the oldest key.
        const first = hits.keys().next().value;
        if (first !== undefined) hits.delete(first);
      }
      const kept = recent(key);
      kept.push(opts.clock.now().getTime());
      if (kept.length > opts.limit) kept.shift();
      hits.set(key, kept);
    },
    reset(key) {
      hits.delete(key);
    },
  };
}
