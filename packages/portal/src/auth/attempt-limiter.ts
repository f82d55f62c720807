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

/**
 * A key's hits in the window, oldest first, in a ring that grows by doubling up to the limit:
 * dropping the oldest is O(1) however many there are. (An array's `shift()` copies the whole
 * array once it is large: with a limit of millions a minute, 30 µs a request once the window
 * is full.)
 */
interface HitLog {
  times: Float64Array;
  first: number;
  size: number;
}

const at = (log: HitLog, index: number) => log.times[(log.first + index) % log.times.length]!;

function dropOldest(log: HitLog): void {
  log.first = (log.first + 1) % log.times.length;
  log.size--;
}

function push(log: HitLog, time: number, limit: number): void {
  if (log.size === log.times.length) {
    if (log.times.length < limit) {
      const grown = new Float64Array(Math.min(limit, log.times.length * 2));
      for (let i = 0; i < log.size; i++) grown[i] = at(log, i);
      log.times = grown;
      log.first = 0;
    } else {
      dropOldest(log); // only the last `limit` hits matter
    }
  }
  log.times[(log.first + log.size) % log.times.length] = time;
  log.size++;
}

export function createAttemptLimiter(opts: {
  limit: number;
  windowMs: number;
  clock: Clock;
  maxKeys?: number;
}): AttemptLimiter {
  const hits = new Map<string, HitLog>();
  const maxKeys = opts.maxKeys ?? 100_000;

  // Per key, the times of at most the last `limit` hits, oldest first: all a decision needs,
  // so a check costs O(1) amortised however busy the key is (the token endpoint is hot).
  const recent = (key: string, now: number): HitLog | undefined => {
    const log = hits.get(key);
    if (log === undefined) return undefined;
    const cutoff = now - opts.windowMs;
    while (log.size > 0 && at(log, 0) <= cutoff) dropOldest(log);
    if (log.size > 0) return log;
    hits.delete(key);
    return undefined;
  };

  return {
    retryAfter(key) {
      const now = opts.clock.now().getTime();
      const log = recent(key, now);
      if (log === undefined || log.size < opts.limit) return 0;
      const oldest = at(log, log.size - opts.limit);
      return Math.max(1, Math.ceil((oldest + opts.windowMs - now) / 1000));
    },
    hit(key) {
      const now = opts.clock.now().getTime();
      let log = recent(key, now);
      if (log === undefined) {
        if (hits.size >= maxKeys) {
          // Bounded memory under a flood of distinct keys: drop the oldest key.
          const first = hits.keys().next().value;
          if (first !== undefined) hits.delete(first);
        }
        log = { times: new Float64Array(Math.min(opts.limit, 8)), first: 0, size: 0 };
        hits.set(key, log);
      }
      push(log, now, opts.limit);
    },
    reset(key) {
      hits.delete(key);
    },
  };
}
