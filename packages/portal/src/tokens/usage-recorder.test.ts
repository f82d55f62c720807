import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedClock } from '../clock.ts';
import type { Store, TokenUsageRecord } from '../storage/storage.ts';
import { createUsageRecorder } from './usage-recorder.ts';

/** Only what the recorder writes: each flushed batch. */
function recordingStore() {
  const batches: TokenUsageRecord[][] = [];
  const store = {
    async recordTokenUsage(usages: TokenUsageRecord[]) {
      batches.push(usages.map((usage) => ({ ...usage })));
    },
  } as unknown as Store;
  return { store, batches };
}

describe('usage recorder', () => {
  const client = { userAgent: 'quixstreams/3.1', address: '10.0.0.1', deploymentId: 'd1' };

  it('keeps one record per token and client per interval, with the latest time', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const { store, batches } = recordingStore();
    const usage = createUsageRecorder({ store, clock });
    usage.record('st-1', client);
    clock.advance(1_000);
    usage.record('st-1', client);
    clock.advance(1_000);
    usage.record('st-1', client);
    usage.record('st-2', client);
    usage.record('st-1', { ...client, deploymentId: null });
    await usage.flush();

    assert.equal(batches.length, 1);
    const [batch] = batches;
    assert.equal(batch!.length, 3);
    const first = batch!.find((u) => u.tokenId === 'st-1' && u.deploymentId === 'd1')!;
    assert.equal(first.lastUsedAt.toISOString(), '2026-01-01T00:00:02.000Z');
    assert.equal(first.userAgent, 'quixstreams/3.1');
    assert.match(first.clientKey, /^[0-9a-f]{32}$/);
    const sameClientOtherToken = batch!.find((u) => u.tokenId === 'st-2')!;
    assert.equal(sameClientOtherToken.clientKey, first.clientKey, 'the client key names the client alone');
  });

  it('starts afresh after a flush, and does not change a batch already taken', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const { store, batches } = recordingStore();
    const usage = createUsageRecorder({ store, clock });
    usage.record('st-1', client);
    await usage.flush();
    clock.advance(5_000);
    usage.record('st-1', client);
    await usage.flush();
    await usage.flush(); // nothing pending: no write

    assert.deepEqual(
      batches.map((batch) => batch.map((u) => u.lastUsedAt.toISOString())),
      [['2026-01-01T00:00:00.000Z'], ['2026-01-01T00:00:05.000Z']],
    );
  });

  it('treats user agents equal in their stored first 200 characters as one client', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const { store, batches } = recordingStore();
    const usage = createUsageRecorder({ store, clock });
    const long = 'x'.repeat(200);
    usage.record('st-1', { ...client, userAgent: `${long}-a` });
    usage.record('st-1', { ...client, userAgent: `${long}-b` });
    await usage.flush();
    assert.equal(batches[0]!.length, 1, 'one row per (token, client key): two would collide in one upsert');
    assert.equal(batches[0]![0]!.userAgent, long);
  });
  it('follows clients that take turns on one token, each with its own latest time', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const { store, batches } = recordingStore();
    const usage = createUsageRecorder({ store, clock });
    const other = { ...client, address: '10.0.0.2' };
    for (const [second, who] of [
      [0, client],
      [1, other],
      [2, client],
      [3, client],
      [4, other],
      [5, client],
    ] as const) {
      clock.set(new Date(Date.UTC(2026, 0, 1, 0, 0, second)));
      usage.record('st-1', who);
    }
    await usage.flush();
    const times = Object.fromEntries(batches[0]!.map((u) => [u.address, u.lastUsedAt.toISOString()]));
    assert.deepEqual(times, {
      '10.0.0.1': '2026-01-01T00:00:05.000Z',
      '10.0.0.2': '2026-01-01T00:00:04.000Z',
    });
  });

  it('never moves the time of a record already handed to the store', async () => {
    const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
    const written: TokenUsageRecord[][] = [];
    const store = {
      async recordTokenUsage(usages: TokenUsageRecord[]) {
        written.push(usages); // the very objects, not copies
      },
    } as unknown as Store;
    const usage = createUsageRecorder({ store, clock });
    usage.record('st-1', client);
    await usage.flush();
    clock.advance(5_000);
    usage.record('st-1', client);
    assert.equal(written[0]![0]!.lastUsedAt.toISOString(), '2026-01-01T00:00:00.000Z');
    await usage.flush();
    assert.equal(written[1]![0]!.lastUsedAt.toISOString(), '2026-01-01T00:00:05.000Z');
  });
});
