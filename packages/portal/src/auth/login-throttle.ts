import type { Clock } from '../clock.ts';
import { RateLimitedError } from '../errors.ts';

/**
 * Progressive delays for password guesses, counted *before* the password is checked, so a burst
 * of parallel guesses cannot all pass the check while the first ones are still hashing.
 *
 * Three counters of failures in a sliding window:
 * - per address: one source guessing many accounts is slowed, up to `maxDelayMs`;
 * - per email and address: one source guessing one account is slowed, up to `maxDelayMs`;
 * - per email, from any address that already failed for it: many sources spraying one account
 *   are slowed, up to `maxEmailDelayMs`.
 * The per-email delay never applies to an address with no failure for that email, so whoever
 * floods an account with wrong passwords cannot keep its owner out: from a fresh address the
 * owner's first try is always judged on the password alone. There is no hard lockout.
 *
 * In memory, per instance: N instances allow N times the attempts, still a handful a minute.
 */
export interface LoginThrottle {
  /**
   * Counts an attempt for this email from this address, or throws RateLimitedError (with the
   * seconds to wait) without counting it. Call `succeeded()` on the result when the password was
   * right: only failures stay counted.
   */
  begin(email: string, address: string): { succeeded(): void };
}

export interface LoginThrottleOptions {
  clock: Clock;
  windowMs?: number;
  /** Failures allowed per email and address before the delays start. */
  freeFailures?: number;
  /** Failures allowed per address (over every account) before the delays start. */
  freeAddressFailures?: number;
  /** The first delay; each further failure doubles it. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  maxEmailDelayMs?: number;
  maxKeys?: number;
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const { clock } = options;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const freeFailures = options.freeFailures ?? 5;
  const freeAddressFailures = options.freeAddressFailures ?? 10;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 15 * 60_000;
  const maxEmailDelayMs = options.maxEmailDelayMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 100_000;
  /** Per key, the times of the failures (and attempts in flight) in the window, oldest first. */
  const failures = new Map<string, number[]>();

  const recent = (key: string, now: number): number[] => {
    const kept = failures.get(key) ?? [];
    while (kept.length > 0 && kept[0]! <= now - windowMs) kept.shift();
    if (kept.length === 0) failures.delete(key);
    return kept;
  };
  const delayOf = (count: number, free: number, max: number): number =>
    count < free ? 0 : Math.min(max, baseDelayMs * 2 ** Math.min(30, count - free));
  /** Milliseconds until this key may try again. */
  const waitFor = (key: string, now: number, free: number, max: number): number => {
    const kept = recent(key, now);
    if (kept.length === 0) return 0;
    return Math.max(0, kept[kept.length - 1]! + delayOf(kept.length, free, max) - now);
  };
  const add = (key: string, at: number) => {
    if (!failures.has(key) && failures.size >= maxKeys) {
      // Bounded memory under a flood of distinct keys: drop the oldest key.
      const first = failures.keys().next().value;
      if (first !== undefined) failures.delete(first);
    }
    const kept = failures.get(key) ?? [];
    kept.push(at);
    failures.set(key, kept);
  };
  const remove = (key: string, at: number) => {
    const kept = failures.get(key);
    if (!kept) return;
    const index = kept.lastIndexOf(at);
    if (index >= 0) kept.splice(index, 1);
    if (kept.length === 0) failures.delete(key);
  };

  return {
    begin(email, address) {
      const now = clock.now().getTime();
      const addressKey = `address\n${address}`;
      const pairKey = `pair\n${email}\n${address}`;
      const emailKey = `email\n${email}`;
      const pairFailures = recent(pairKey, now).length;
      const wait = Math.max(
        waitFor(addressKey, now, freeAddressFailures, maxDelayMs),
        waitFor(pairKey, now, freeFailures, maxDelayMs),
        pairFailures > 0 ? waitFor(emailKey, now, freeFailures, maxEmailDelayMs) : 0,
      );
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw new RateLimitedError(`Too many failed logins; try again in ${seconds} seconds.`, seconds);
      }
      // Counted now, synchronously with the check: a parallel attempt already sees this one.
      for (const key of [addressKey, pairKey, emailKey]) add(key, now);
      return {
        succeeded() {
          remove(addressKey, now);
          remove(emailKey, now);
          failures.delete(pairKey); // the owner got in from here: earlier typos are forgiven
        },
      };
    },
  };
}
