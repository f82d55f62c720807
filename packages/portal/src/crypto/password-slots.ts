import { RateLimitedError } from '../errors.ts';

/**
 * A small semaphore around password verification: scrypt takes ~100 ms of a libuv worker and
 * 128 MiB, so unbounded parallel logins would starve every other use of the thread pool (file
 * and DNS work, other crypto) and the memory. At most `concurrent` verifications run; up to
 * `queued` wait their turn; beyond that the login is refused at once with 429.
 */
export interface PasswordSlots {
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createPasswordSlots(options: { concurrent?: number; queued?: number } = {}): PasswordSlots {
  const concurrent = options.concurrent ?? 2;
  const queued = options.queued ?? 32;
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async run(work) {
      if (running >= concurrent) {
        if (waiting.length >= queued) {
          throw new RateLimitedError('Too many logins at once; try again in a second.', 1);
        }
        // The slot is handed over by release(): `running` stays the same.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
