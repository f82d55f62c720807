import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type HttpPeer, json, startHttpPeer } from '../test-support/http-peer.ts';
import { TopicFailedError, TopicNotFoundError, TopicTimeoutError } from './errors.ts';
import { PortalApi } from './portal-api.ts';
import { PortalHttp } from './portal-http.ts';
import { resolveTopic } from './topics.ts';

const configuration = {
  partitions: null,
  replicationFactor: null,
  retentionInMinutes: null,
  retentionInBytes: null,
  cleanupPolicy: null,
};

describe('topic resolution (against a real HTTP peer)', () => {
  let peer: HttpPeer;
  let api: PortalApi;
  let topics: Map<
    string,
    { id: string; name: string; workspaceId: string; status: string; lastError: string | null; polls: number }
  >;
  before(async () => {
    peer = await startHttpPeer();
    api = new PortalApi(
      new PortalHttp({
        baseUrl: peer.url,
        token: `sgs_${'x'.repeat(30)}`,
        timeoutMs: 2000,
        retry: { retries: 0, initialDelayMs: 1, maxDelayMs: 1 },
        deploymentId: null,
      }),
    );
  });
  after(() => peer.close());
  beforeEach(() => {
    topics = new Map();
    peer.route('GET', '/dev/topics', (_req, res) => json(res, 200, [...topics.values()]));
    peer.route('POST', '/dev/topics', (req, res) => {
      const { name } = JSON.parse(req.body);
      const topic = {
        id: `dev-${name}`,
        name,
        workspaceId: 'dev',
        status: 'Creating',
        lastError: null,
        polls: 0,
      };
      topics.set(name, topic);
      for (const t of ['orders', 'broken', 'stuck']) {
        peer.route('GET', `/dev/topics/${t}`, (_r, response) => {
          const found = topics.get(t);
          if (!found) return json(response, 404, { message: 'not found' });
          found.polls++;
          if (found.name === 'orders' && found.polls >= 2) found.status = 'Ready';
          if (found.name === 'broken' && found.polls >= 2) {
            found.status = 'Error';
            found.lastError = 'replication factor too large';
          }
          json(response, 200, found);
        });
      }
      json(res, 201, topic);
    });
    for (const t of ['orders', 'broken', 'stuck'])
      peer.route('GET', `/dev/topics/${t}`, (_r, res) => json(res, 404, { message: 'not found' }));
  });

  it('creates a missing topic and waits for Ready; the id is the Kafka name', async () => {
    const topic = await resolveTopic(api, 'dev', 'orders', {
      autoCreate: true,
      configuration,
      readyTimeoutMs: 5_000,
      pollIntervalMs: 5,
    });
    assert.equal(topic.id, 'dev-orders');
    assert.equal(topic.status, 'Ready');
  });

  it('finds a topic by its id too', async () => {
    topics.set('billing', {
      id: 'dev-billing',
      name: 'billing',
      workspaceId: 'dev',
      status: 'Ready',
      lastError: null,
      polls: 0,
    });
    const topic = await resolveTopic(api, 'dev', 'dev-billing', {
      autoCreate: false,
      configuration,
      readyTimeoutMs: 1_000,
    });
    assert.equal(topic.name, 'billing');
  });

  it('refuses to create when auto-create is off, saying what to do', async () => {
    await assert.rejects(
      resolveTopic(api, 'dev', 'orders', { autoCreate: false, configuration, readyTimeoutMs: 1_000 }),
      (e: Error) => e instanceof TopicNotFoundError && /autoCreateTopics/.test(e.message),
    );
  });

  it('reports a topic that ends in Error with its lastError', async () => {
    await assert.rejects(
      resolveTopic(api, 'dev', 'broken', {
        autoCreate: true,
        configuration,
        readyTimeoutMs: 5_000,
        pollIntervalMs: 5,
      }),
      (e: Error) => e instanceof TopicFailedError && /replication factor too large/.test(e.message),
    );
  });

  it('gives up waiting for Ready after the timeout', async () => {
    await assert.rejects(
      resolveTopic(api, 'dev', 'stuck', {
        autoCreate: true,
        configuration,
        readyTimeoutMs: 100,
        pollIntervalMs: 5,
      }),
      (e: Error) => e instanceof TopicTimeoutError && /Creating/.test(e.message),
    );
  });
});
