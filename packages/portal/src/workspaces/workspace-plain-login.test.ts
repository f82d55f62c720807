// The workspace object as the legacy QuixStreamingClient (quixstreams 0.5.x) reads it: a
// streaming-token caller gets a PLAIN login at the broker made of its own principal and its own
// token; nobody else gets credentials, and STREAMGATE_KAFKA_PLAIN=off withholds them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bearer,
  type Caller,
  type Harness,
  inDays,
  startHarness,
} from '../../test-support/portal-harness.ts';
import { ConfigError, loadConfig } from '../config.ts';

interface Broker {
  address: string;
  securityMode: string;
  saslMechanism: string;
  username?: string;
  password?: string;
  hasCertificate: boolean;
}

const kafkaEnv = { STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:9092' };

async function tokenIds(h: Harness, workspaceId: string): Promise<{ token1: string; token2: string }> {
  const response = await h.inject({
    method: 'GET',
    url: `/workspaces/${workspaceId}/streaming-tokens?values=false`,
    headers: (await h.admin()).headers,
  });
  const body = response.json();
  return { token1: body.token1.id, token2: body.token2.id };
}

/** The broker object from both routes; they must agree. */
async function brokerSeenBy(h: Harness, headers: Record<string, string>, workspaceId: string) {
  const one = await h.inject({ method: 'GET', url: `/workspaces/${workspaceId}`, headers });
  assert.equal(one.statusCode, 200, one.body);
  const list = await h.inject({ method: 'GET', url: '/workspaces', headers });
  assert.equal(list.statusCode, 200, list.body);
  const listed = (list.json() as { workspaceId: string; broker: Broker }[]).find(
    (w) => w.workspaceId === workspaceId,
  );
  assert.deepEqual(listed?.broker, one.json().broker);
  return {
    broker: one.json().broker as Broker,
    cacheControl: [one.headers['cache-control'], list.headers['cache-control']],
  };
}

describe('the workspace object with PLAIN on (the default)', () => {
  let h: Harness;
  let admin: Caller;

  before(async () => {
    h = await startHarness({ env: kafkaEnv });
    admin = await h.admin();
    await h.createWorkspace('plain-a');
    await h.createWorkspace('plain-b');
  });
  after(async () => {
    await h.close();
  });

  it('gives a streaming token its own principal and token, and tells caches not to keep them', async () => {
    const values = await h.streamingTokens('plain-a');
    const ids = await tokenIds(h, 'plain-a');
    for (const slot of ['token1', 'token2'] as const) {
      const { broker, cacheControl } = await brokerSeenBy(h, bearer(values[slot]), 'plain-a');
      assert.deepEqual(broker, {
        address: '127.0.0.1:9092',
        securityMode: 'Sasl',
        saslMechanism: 'Plain',
        username: `sgt-${ids[slot]}`,
        password: values[slot],
        hasCertificate: false,
      });
      assert.deepEqual(cacheControl, ['no-store', 'no-store']);
    }
  });

  it('never gives a user, a PAT or another workspace credentials', async () => {
    const viewer = await h.userWithRole('Viewer');
    const pat = await h.createPat(admin, { name: 'ws-reader', expiresAt: inDays(1) });
    for (const headers of [admin.headers, viewer.headers, bearer(pat)]) {
      const { broker } = await brokerSeenBy(h, headers, 'plain-a');
      assert.deepEqual(broker, {
        address: '127.0.0.1:9092',
        securityMode: 'Sasl',
        saslMechanism: 'OAuthBearer',
        hasCertificate: false,
      });
    }
    // Workspace B's token sees only B, with B's own login.
    const b = await h.streamingTokens('plain-b');
    const listed = await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(b.token1) });
    assert.deepEqual(
      (listed.json() as { workspaceId: string; broker: Broker }[]).map((w) => [
        w.workspaceId,
        w.broker.password,
      ]),
      [['plain-b', b.token1]],
    );
    const other = await h.inject({ method: 'GET', url: '/workspaces/plain-a', headers: bearer(b.token1) });
    assert.equal(other.statusCode, 404);
    assert.ok(!other.body.includes('sgs_'));
  });

  it('follows a rotation: the old Token 1 gets nothing, the promoted token keeps its login', async () => {
    await h.createWorkspace('plain-rot');
    const before = await h.streamingTokens('plain-rot');
    const idsBefore = await tokenIds(h, 'plain-rot');
    assert.equal((await h.rotate('plain-rot')).statusCode, 200);
    const refused = await h.inject({
      method: 'GET',
      url: '/workspaces/plain-rot',
      headers: bearer(before.token1),
    });
    assert.equal(refused.statusCode, 401);
    assert.ok(!refused.body.includes(before.token1));
    const { broker } = await brokerSeenBy(h, bearer(before.token2), 'plain-rot');
    assert.equal(broker.username, `sgt-${idsBefore.token2}`);
    assert.equal(broker.password, before.token2);
  });

  it('keeps the tokens out of the log', async () => {
    const values = await h.streamingTokens('plain-a');
    await brokerSeenBy(h, bearer(values.token1), 'plain-a');
    assert.ok(!h.logs().includes(values.token1));
    assert.ok(!h.logs().includes(values.token1.slice(4)));
  });
});

describe('the workspace object with STREAMGATE_KAFKA_PLAIN=off', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ env: { ...kafkaEnv, STREAMGATE_KAFKA_PLAIN: 'off' } });
  });
  after(async () => {
    await h.close();
  });

  it('names OAuthBearer, which the legacy client reports as unsupported, and carries no credentials', async () => {
    const values = await h.streamingTokens('dev');
    const { broker } = await brokerSeenBy(h, bearer(values.token1), 'dev');
    assert.deepEqual(broker, {
      address: '127.0.0.1:9092',
      securityMode: 'Sasl',
      saslMechanism: 'OAuthBearer',
      hasCertificate: false,
    });
  });

  it('accepts only on and off', () => {
    assert.equal(loadConfig({ STREAMGATE_KAFKA_PLAIN: 'on' }).kafka.plain, true);
    assert.equal(loadConfig({}).kafka.plain, true);
    assert.equal(loadConfig({ STREAMGATE_KAFKA_PLAIN: 'off' }).kafka.plain, false);
    assert.throws(() => loadConfig({ STREAMGATE_KAFKA_PLAIN: 'false' }), ConfigError);
  });
});
