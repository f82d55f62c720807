import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../test-support/seeded-random.ts';
import { fixedClock } from '../clock.ts';
import { createAttemptLimiter } from './attempt-limiter.ts';

const start = new Date('2030-01-01T00:00:00Z');

describe('attempt limiter', () => {
  it('lets `limit` hits through, then asks to wait until the oldest leaves the window', () => {
    const clock = fixedClock(start);
    const limiter = createAttemptLimiter({ limit: 3, windowMs: 60_000, clock });
    for (let i = 0; i < 3; i++) {
      assert.equal(limiter.retryAfter('k'), 0, `before hit ${i + 1}`);
      limiter.hit('k');
      clock.advance(10_000);
    }
    // Hits at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    assert.equal(limiter.retryAfter('k'), 30);
    clock.advance(29_000);
    assert.equal(limiter.retryAfter('k'), 1);
    clock.advance(999);
    assert.equal(limiter.retryAfter('k'), 1, 'never 0 while still over the limit');
    clock.advance(1);
    assert.equal(limiter.retryAfter('k'), 0, 'the window slid past the first hit');
    limiter.hit('k');
    assert.equal(limiter.retryAfter('k'), 10, 'now the 10 s hit is the oldest that counts');
  });

  it('keeps keys apart', () => {
    const clock = fixedClock(start);
    const limiter = createAttemptLimiter({ limit: 2, windowMs: 1000, clock });
    limiter.hit('a');
    limiter.hit('a');
    assert.ok(limiter.retryAfter('a') > 0);
    assert.equal(limiter.retryAfter('b'), 0);
  });

  it('forgets a key on reset', () => {
    const clock = fixedClock(start);
    const limiter = createAttemptLimiter({ limit: 1, windowMs: 60_000, clock });
    limiter.hit('k');
    assert.equal(limiter.retryAfter('k'), 60);
    limiter.reset('k');
    assert.equal(limiter.retryAfter('k'), 0);
  });

  it('counts hits beyond the limit, so hammering does not shorten the wait', () => {
    const clock = fixedClock(start);
    const limiter = createAttemptLimiter({ limit: 2, windowMs: 60_000, clock });
    limiter.hit('k');
    clock.advance(30_000);
    limiter.hit('k');
    limiter.hit('k');
    // The two most recent hits (at 30 s) must leave the window before another is allowed.
    assert.equal(limiter.retryAfter('k'), 60);
  });

  it('answers as a plain list of every hit would, through growth and wrap-around of its log', () => {
    const seed = 20301101;
    const random = seededRandom(seed);
    const clock = fixedClock(start);
    const limit = 37;
    const windowMs = 10_000;
    const limiter = createAttemptLimiter({ limit, windowMs, clock });
    const every: number[] = [];
    const expected = () => {
      const now = clock.now().getTime();
      const inWindow = every.filter((time) => time > now - windowMs);
      if (inWindow.length < limit) return 0;
      const oldest = inWindow[inWindow.length - limit]!;
      return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
    };
    for (let step = 0; step < 5000; step++) {
      // Bursts and pauses: the log fills, wraps, empties and grows again.
      clock.advance(random() < 0.05 ? Math.floor(random() * 12_000) : Math.floor(random() * 200));
      assert.equal(limiter.retryAfter('k'), expected(), `step ${step} (seed ${seed})`);
      if (random() < 0.7) {
        limiter.hit('k');
        every.push(clock.now().getTime());
      }
    }
  });

  it('bounds memory by dropping the oldest key', () => {
    const clock = fixedClock(start);
    const limiter = createAttemptLimiter({ limit: 1, windowMs: 60_000, clock, maxKeys: 2 });
    limiter.hit('a');
    limiter.hit('b');
    limiter.hit('c');
    assert.equal(limiter.retryAfter('a'), 0, 'a was dropped');
    assert.ok(limiter.retryAfter('b') > 0);
    assert.ok(limiter.retryAfter('c') > 0);
  });
});
