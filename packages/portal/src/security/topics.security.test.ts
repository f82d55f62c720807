// Issue 10, unbounded topics: each test is named after the attack it stops. No broker is needed:
// the limits are checked before the portal asks Kafka for anything.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';

describe('topic limit attacks', () => {
  let h: Harness;
  let streamingToken: string;
  before(async () => {
    h = await startHarness({ env: { STREAMGATE_TOPICS_PER_WORKSPACE: '2' } });
    await h.createWorkspace('acme');
    streamingToken = (await h.streamingTokens('acme')).token1;
  });
  after(async () => {
    await h.close();
  });

  const create = (headers: Record<string, string>, configuration: Record<string, unknown>, name = 'big') =>
    h.inject({ method: 'POST', url: '/acme/topics', headers, payload: { name, configuration } });

  it('a streaming token cannot fill a small broker with partitions or unlimited retention', async () => {
    const pat = await h.createPat(await h.admin(), { name: 'ops', expiresAt: inDays(1) });
    for (const headers of [bearer(streamingToken), bearer(pat)]) {
      for (const [configuration, message] of [
        [{ partitions: 1000 }, /partitions: at most 12 per topic/],
        [{ retentionInMinutes: -1 }, /retentionInMinutes: at most 43200 .*not unlimited/],
        [{ retentionInMinutes: 10_000_000 }, /retentionInMinutes: at most 43200/],
        [{ retentionInBytes: -1 }, /retentionInBytes: at most 1073741824 per partition .*not unlimited/],
      ] as const) {
        const answer = await create(headers, configuration);
        assert.equal(answer.statusCode, 400, answer.body);
        assert.equal(answer.json().code, 'PORTAL_BAD_REQUEST');
        assert.match(answer.json().message, message);
      }
    }
    assert.deepEqual(await h.portal.store.listTopics('acme'), [], 'nothing was created');
  });

  it('a streaming token cannot create more topics than its workspace may have', async () => {
    const now = new Date();
    for (const name of ['one', 'two']) {
      await h.portal.store.insertTopic({
        workspaceId: 'acme',
        name,
        kafkaName: `acme-${name}`,
        status: 'Ready',
        lastError: null,
        configuration: {
          partitions: 1,
          replicationFactor: 1,
          retentionInMinutes: 60,
          retentionInBytes: 1024,
          cleanupPolicy: 'Delete',
        },
        createdAt: now,
        updatedAt: now,
      });
    }
    const answer = await create(bearer(streamingToken), {}, 'three');
    assert.equal(answer.statusCode, 400, answer.body);
    assert.match(answer.json().message, /already has its 2 topics.*STREAMGATE_TOPICS_PER_WORKSPACE/);
    assert.deepEqual(
      (await h.portal.store.listTopics('acme')).map((topic) => topic.name).sort(),
      ['one', 'two'],
      'nothing was created',
    );
  });
});
