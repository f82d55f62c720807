import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serialTicks } from './serial-ticks.ts';

describe('serial ticks', () => {
  it('never runs two rounds at once, and runs one more for calls made during a round', async () => {
    let active = 0;
    let most = 0;
    let rounds = 0;
    let release: () => void = () => {};
    const ticks = serialTicks(
      async () => {
        active++;
        most = Math.max(most, active);
        rounds++;
        if (rounds === 1) await new Promise<void>((resolve) => (release = resolve));
        active--;
      },
      { onError: (error) => assert.fail(String(error)) },
    );
    const first = ticks.run();
    const second = ticks.run();
    const third = ticks.run();
    release();
    await Promise.all([first, second, third]);
    assert.equal(most, 1);
    assert.equal(rounds, 2, 'the calls made during the first round are one more round');
  });

  it('repeats when a round asks for it, up to the limit, and reports a round that threw', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    const ticks = serialTicks(
      async () => {
        rounds++;
        ticks.again();
      },
      { onError: (error) => errors.push(error), maxRounds: 5 },
    );
    await ticks.run();
    assert.equal(rounds, 5);
    const failing = serialTicks(
      async () => {
        throw new Error('boom');
      },
      { onError: (error) => errors.push(error) },
    );
    await failing.run();
    assert.match(String(errors[0]), /boom/);
    await failing.idle();
  });

  it('stops repeating once it may not', async () => {
    let rounds = 0;
    let stopping = false;
    const ticks = serialTicks(
      async () => {
        rounds++;
        stopping = true;
        ticks.again();
      },
      { onError: (error) => assert.fail(String(error)), mayRepeat: () => !stopping },
    );
    await ticks.run();
    assert.equal(rounds, 1);
  });
});
