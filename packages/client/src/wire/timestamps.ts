// Timestamps are nanoseconds since the Unix epoch, as bigint.
import { InvalidArgumentError } from '../errors.ts';

export type TimestampInput = Date | bigint;

const NS_PER_MS = 1_000_000n;

export function nanosecondsFromDate(date: Date): bigint {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new InvalidArgumentError('Invalid Date given as timestamp');
  return BigInt(ms) * NS_PER_MS;
}

export function toNanoseconds(timestamp: TimestampInput): bigint {
  if (timestamp instanceof Date) return nanosecondsFromDate(timestamp);
  if (typeof timestamp === 'bigint') {
    if (timestamp < 0n)
      throw new InvalidArgumentError(
        `Timestamp ${timestamp} is negative: pass nanoseconds since the Unix epoch`,
      );
    return timestamp;
  }
  if (typeof timestamp === 'number') {
    throw new InvalidArgumentError(
      'A timestamp must be a Date or a bigint of nanoseconds since the Unix epoch; for milliseconds use addTimestampMilliseconds(ms)',
    );
  }
  throw new InvalidArgumentError(
    `A timestamp must be a Date or a bigint of nanoseconds, got ${typeof timestamp}`,
  );
}

export function nanosecondsFromMilliseconds(ms: number): bigint {
  if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`Invalid millisecond timestamp ${ms}`);
  return BigInt(Math.round(ms * 1000)) * 1000n;
}

export function dateFromNanoseconds(ns: bigint): Date {
  return new Date(Number(ns / NS_PER_MS));
}
