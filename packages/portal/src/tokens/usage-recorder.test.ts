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
});
