import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closedPort, type HttpPeer, json, startHttpPeer } from '../test-support/http-peer.ts';
import {
  ForbiddenError,
  InvalidTokenError,
  NotFoundError,
  PortalRequestError,
  PortalTlsError,
  PortalUnreachableError,
} from './errors.ts';
import { PortalApi } from './portal-api.ts';
import { certificateErrorCode, isTransientHttpError, PortalHttp } from './portal-http.ts';

const token = `sgs_${'t'.repeat(40)}`;
const fastRetry = { retries: 2, initialDelayMs: 5, maxDelayMs: 10 };

function api(baseUrl: string, timeoutMs = 2_000): PortalApi {
  return new PortalApi(
    new PortalHttp({ baseUrl, token, timeoutMs, retry: fastRetry, deploymentId: 'dep-7' }),
  );
}

describe('Portal HTTP layer (against a real HTTP peer)', () => {
  let peer: HttpPeer;
  before(async () => {
    peer = await startHttpPeer();
  });
  after(() => peer.close());

  it('sends the Bearer token, X-Version 2.0 and the deployment id', async () => {
    peer.route('GET', '/workspaces', (_req, res) =>
      json(res, 200, [{ workspaceId: 'dev', name: 'Dev', status: 'Ready' }]),
    );
    const workspaces = await api(peer.url).listWorkspaces();
    assert.equal(workspaces[0]!.workspaceId, 'dev');
    const request = peer.requests.at(-1)!;
    assert.equal(request.headers.authorization, `Bearer ${token}`);
    assert.equal(request.headers['x-version'], '2.0');
    assert.equal(request.headers['x-deployment-id'], 'dep-7');
    assert.match(String(request.headers['user-agent']), /^streamgate-client\//);
  });

  it('maps statuses to typed errors carrying status, URL, server message and correlation id', async () => {
    peer.route('GET', '/workspaces/a/broker/librdkafka', (_req, res) =>
      json(res, 401, { message: 'Invalid token', correlationId: 'corr-1', code: 'PORTAL_UNAUTHORIZED' }),
    );
    peer.route('GET', '/workspaces/b/broker/librdkafka', (_req, res) =>
      json(res, 403, { message: 'nope', correlationId: 'corr-2' }),
    );
    peer.route('GET', '/workspaces/c/broker/librdkafka', (_req, res) =>
      json(res, 404, { message: 'no ws', correlationId: 'corr-3' }),
    );
    peer.route('GET', '/workspaces/d/broker/librdkafka', (_req, res) =>
      json(res, 502, { message: 'bad gateway', correlationId: 'corr-4' }),
    );
    const client = api(peer.url);
    const error = await client.getBrokerConfig('a').catch((e: unknown) => e);
    assert.ok(error instanceof InvalidTokenError);
    assert.equal(error.code, 'CLIENT_INVALID_TOKEN');
    assert.equal(error.status, 401);
    assert.equal(error.url, `${peer.url}/workspaces/a/broker/librdkafka`);
    assert.equal(error.serverMessage, 'Invalid token');
    assert.equal(error.correlationId, 'corr-1');
    assert.match(
      error.message,
      /Error 401 for GET .*Invalid token \(correlationId corr-1\).*Quix__Sdk__Token/,
    );
    assert.ok(!error.message.includes(token));
    await assert.rejects(client.getBrokerConfig('b'), ForbiddenError);
    await assert.rejects(client.getBrokerConfig('c'), NotFoundError);
    await assert.rejects(
      client.getBrokerConfig('d'),
      (e: Error) => e instanceof PortalRequestError && (e as PortalRequestError).status === 502,
    );
  });

  it('never retries an answered request, 4xx or 5xx', async () => {
    let calls = 0;
    peer.route('GET', '/x/topics', (_req, res) => {
      calls++;
      json(res, 400, { message: 'bad' });
    });
    await assert.rejects(api(peer.url).listTopics('x'), PortalRequestError);
    assert.equal(calls, 1);
  });

  it('retries timeouts with backoff, then reports the Portal unreachable', async () => {
    let calls = 0;
    peer.route('GET', '/slow/topics', (_req, res) => {
      calls++;
      setTimeout(() => json(res, 200, []), 500).unref();
    });
    const error = await api(peer.url, 50)
      .listTopics('slow')
      .catch((e: unknown) => e);
    assert.ok(error instanceof PortalUnreachableError);
    assert.equal(error.attempts, 3);
    assert.equal(calls, 3);
  });

  it('retries refused connections a bounded number of times', async () => {
    const port = await closedPort();
    const error = await api(`http://127.0.0.1:${port}`)
      .listWorkspaces()
      .catch((e: unknown) => e);
    assert.ok(error instanceof PortalUnreachableError);
    assert.equal(error.code, 'CLIENT_PORTAL_UNREACHABLE');
    assert.equal(error.attempts, 3);
    assert.match(error.message, /Quix__Portal__Api/);
  });

  it('treats 404 on a topic as absent and "already exists" on create as a race', async () => {
    peer.route('GET', '/w/topics/none', (_req, res) => json(res, 404, { message: 'Topic not found' }));
    peer.route('POST', '/w/topics', (req, res) => {
      const body = JSON.parse(req.body);
      assert.equal(body.name, 'dup');
      assert.deepEqual(Object.keys(body.configuration).sort(), [
        'cleanupPolicy',
        'partitions',
        'replicationFactor',
        'retentionInBytes',
        'retentionInMinutes',
      ]);
      json(res, 400, { message: "Topic with name similar to 'dup' already exists." });
    });
    const client = api(peer.url);
    assert.equal(await client.getTopic('w', 'none'), null);
    const configuration = {
      partitions: null,
      replicationFactor: null,
      retentionInMinutes: null,
      retentionInBytes: null,
      cleanupPolicy: null,
    };
    assert.equal(await client.createTopic('w', 'dup', configuration), null);
  });
});

describe('an untrusted Portal certificate', () => {
  // What undici's fetch throws when the server's certificate does not verify.
  const fetchFailed = (code: string) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error('certificate check'), { code }) });

  it('is not a network failure: never retried', () => {
    for (const code of [
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'ERR_TLS_CERT_ALTNAME_INVALID',
    ]) {
      assert.equal(certificateErrorCode(fetchFailed(code)), code);
      assert.equal(isTransientHttpError(fetchFailed(code)), false);
    }
    assert.equal(certificateErrorCode(fetchFailed('ECONNREFUSED')), null);
    assert.equal(isTransientHttpError(fetchFailed('ECONNREFUSED')), true);
  });

  it('says how to trust a private CA', () => {
    const error = new PortalTlsError('GET', 'https://p/workspaces', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', null);
    assert.equal(error.code, 'CLIENT_PORTAL_TLS');
    assert.match(error.message, /not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*NODE_EXTRA_CA_CERTS/);
  });
});
