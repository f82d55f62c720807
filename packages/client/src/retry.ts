// Bounded exponential backoff. Only errors the caller marks as transient are retried.
import { setTimeout as sleep } from 'node:timers/promises';

export interface RetryPolicy {
  /** Retries after the first attempt (so `retries + 1` attempts in all). */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  initialDelayMs: number;
  /** Upper bound of one delay. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { retries: 5, initialDelayMs: 1000, maxDelayMs: 16_000 };

/** The delays between attempts: initial, 2×, 4×, ... capped at maxDelayMs. */
export function retryDelays(policy: RetryPolicy): number[] {
  const delays: number[] = [];
  for (let i = 0; i < policy.retries; i++) {
    delays.push(Math.min(policy.initialDelayMs * 2 ** i, policy.maxDelayMs));
  }
  return delays;
}

export function validateRetryPolicy(policy: RetryPolicy): void {
  const { retries, initialDelayMs, maxDelayMs } = policy;
  if (!Number.isInteger(retries) || retries < 0 || retries > 20) {
    throw new TypeError(`retry.retries must be an integer from 0 to 20, got ${retries}`);
  }
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= initialDelayMs)) {
    throw new TypeError('retry.initialDelayMs must be >= 0 and retry.maxDelayMs >= retry.initialDelayMs');
  }
}

export interface RetryOutcome<T> {
  value: T;
  attempts: number;
}

/**
 * Runs `operation` until it succeeds, it throws an error `isTransient` rejects, or the retries run
 * out; then the last error is thrown with the attempt count attached by `onGiveUp`.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: {
    policy: RetryPolicy;
    isTransient: (error: unknown) => boolean;
    onGiveUp?: (error: unknown, attempts: number) => unknown;
    delay?: (ms: number) => Promise<unknown>;
  },
): Promise<T> {
  const delays = retryDelays(options.policy);
  const wait = options.delay ?? sleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      const delay = delays[attempt - 1];
      if (!options.isTransient(error) || delay === undefined) {
        throw options.isTransient(error) && options.onGiveUp ? options.onGiveUp(error, attempt) : error;
      }
      await wait(delay);
    }
  }
}
