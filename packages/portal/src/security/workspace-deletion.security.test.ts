// Issue 10, deleting a workspace: each test is named after the attack it stops.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startHarness } from '../../test-support/portal-harness.ts';
import { purgeWorkspaceData, type WorkspaceKafkaData } from '../workspaces/workspace-purge.ts';

describe('workspace deletion attacks', () => {
  it("a re-created workspace (same id, or an id it prefixes) cannot inherit the deleted one's Kafka data while the broker is down", async () => {
    // Nothing listens on port 9: the broker is down during and after the deletion.
    const h = await startHarness({
      env: {
        STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:9',
        STREAMGATE_KAFKA_ADMIN_USER: 'streamgate-admin',
        STREAMGATE_KAFKA_ADMIN_PASSWORD: 'admin-secret-for-tests',
      },
    });
    try {
      await h.createWorkspace('acme');
      const admin = await h.admin();
      const removed = await h.inject({ method: 'DELETE', url: '/workspaces/acme', headers: admin.headers });
      assert.equal(removed.statusCode, 200, removed.body);
      const { kafkaData } = removed.json();
      assert.equal(kafkaData.complete, false);
      for (const step of ['topics', 'consumerGroups', 'transactionalIds']) {
        assert.equal(kafkaData.steps[step].done, false, step);
        assert.match(kafkaData.steps[step].detail, /retried until done/, step);
      }
      for (const workspaceId of ['acme', 'acme-prod']) {
        const again = await h.inject({
          method: 'POST',
          url: '/workspaces',
          headers: admin.headers,
          payload: { workspaceId, name: workspaceId },
        });
        assert.equal(again.statusCode, 409, again.body);
        assert.match(again.json().message, /reserved: the deleted workspace 'acme' still has Kafka data/);
      }
      assert.deepEqual(
        (await h.portal.store.listWorkspaces())
          .map((w) => w.workspaceId)
          .filter((id) => id.startsWith('acme')),
        [],
        'nothing was created',
      );
      assert.deepEqual(
        (await h.portal.store.listWorkspacePurges()).map((p) => p.workspaceId),
        ['acme'],
        'the purge stays queued (and is retried on a timer)',
      );
    } finally {
      await h.close();
    }
  });

  it('deleting a workspace removes its topics and consumer groups at the broker, and waits out its transactional ids', async () => {
    const topics = new Set(['acme-orders', 'acme-payments', 'acmex-other']);
    const groups = new Set(['acme-billing', 'acmex-group']);
    let transactionalIds = ['acme-tx-1', 'acmex-tx'];
    const kafka: WorkspaceKafkaData = {
      listTopics: async (prefix) => [...topics].filter((t) => t.startsWith(prefix)),
      deleteTopic: async (name) => {
        topics.delete(name);
      },
      listGroups: async (prefix) => [...groups].filter((g) => g.startsWith(prefix)),
      deleteGroups: async (ids) => {
        for (const id of ids) groups.delete(id);
      },
      listTransactionalIds: async (prefix) => transactionalIds.filter((t) => t.startsWith(prefix)),
    };
    const first = await purgeWorkspaceData(kafka, 'acme');
    assert.deepEqual([...topics], ['acmex-other'], "only acme's topics (prefix 'acme-')");
    assert.deepEqual([...groups], ['acmex-group']);
    assert.equal(first.steps.topics.done, true);
    assert.equal(first.steps.consumerGroups.done, true);
    assert.equal(first.steps.transactionalIds.done, false);
    assert.match(first.steps.transactionalIds.detail, /transactional\.id\.expiration\.ms/);
    assert.equal(first.complete, false);
    transactionalIds = ['acmex-tx']; // the broker expired it
    assert.equal((await purgeWorkspaceData(kafka, 'acme')).complete, true);
  });
});
