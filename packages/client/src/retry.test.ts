import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelays, withRetry } from './retry.ts';

describe('retry policy', () => {
  it('doubles the delay up to the bound', () => {
    assert.deepEqual(
      retryDelays({ retries: 6, initialDelayMs: 1000, maxDelayMs: 16_000 }),
      [1000, 2000, 4000, 8000, 16000, 16000],
    );
  });

  it('retries transient errors until the retries run out, then gives up with the attempt count', async () => {
    const waits: number[] = [];
    let calls = 0;
    const error = await withRetry(
      async () => {
        calls++;
        throw new Error('down');
      },
      {
        policy: { retries: 3, initialDelayMs: 10, maxDelayMs: 15 },
        isTransient: () => true,
        onGiveUp: (e, attempts) => new Error(`gave up after ${attempts}: ${(e as Error).message}`),
        delay: async (ms) => waits.push(ms),
      },
    ).catch((e: Error) => e);
    assert.equal(calls, 4);
    assert.deepEqual(waits, [10, 15, 15]);
    assert.equal((error as Error).message, 'gave up after 4: down');
  });

  it('never retries an error that is not transient', async () => {
    let calls = 0;
    await assert.rejects(
      withRetry(
        async () => {
          calls++;
          throw new Error('400');
        },
        { policy: { retries: 5, initialDelayMs: 1, maxDelayMs: 1 }, isTransient: () => false },
      ),
      /400/,
    );
    assert.equal(calls, 1);
  });

  it('returns the first success', async () => {
    let calls = 0;
    const value = await withRetry(
      async () => {
        if (++calls < 3) throw new Error('flaky');
        return 'ok';
      },
      {
        policy: { retries: 5, initialDelayMs: 1, maxDelayMs: 1 },
        isTransient: () => true,
        delay: async () => {},
      },
    );
    assert.equal(value, 'ok');
    assert.equal(calls, 3);
  });
});
