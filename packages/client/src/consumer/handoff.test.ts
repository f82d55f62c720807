import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Handoff } from './handoff.ts';

describe('handoff to an async iterator', () => {
  it('settles put() only when the reader comes back for more', async () => {
    const handoff = new Handoff<number>();
    let done = false;
    const put = handoff.put(1).then(() => {
      done = true;
    });
    assert.deepEqual(await handoff.next(), { done: false, value: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(done, false, 'the reader is still busy with item 1');
    const next = handoff.next();
    await put;
    assert.equal(done, true);
    handoff.end();
    assert.deepEqual(await next, { done: true, value: undefined });
  });

  it('ends with an error for a waiting reader', async () => {
    const handoff = new Handoff<number>();
    const next = handoff.next();
    handoff.end(new Error('revoked'));
    await assert.rejects(next, /revoked/);
    await assert.rejects(handoff.next(), /revoked/);
  });
});
