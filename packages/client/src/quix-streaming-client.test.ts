// Construction and workspace resolution, against a real HTTP peer standing in for the Portal.
// Everything that touches Kafka is in integration/*.test.ts, against the real stack.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HttpPeer, json, startHttpPeer } from '../test-support/http-peer.ts';
import { ConfigurationError, InvalidTokenError, MalformedTokenError } from './errors.ts';
import { QuixStreamingClient } from './quix-streaming-client.ts';

const token = `sgs_${'k'.repeat(40)}`;

describe('QuixStreamingClient construction and workspace', () => {
  let peer: HttpPeer;
  let workspaces: unknown[] = [];
  before(async () => {
    peer = await startHttpPeer();
    peer.route('GET', '/workspaces', (req, res) => {
      if (req.headers.authorization !== `Bearer ${token}`) {
        return json(res, 401, { message: 'Invalid or revoked token', correlationId: 'c-1' });
      }
      json(res, 200, workspaces);
    });
  });
  after(() => peer.close());

  it('fails at once, naming both sources, when there is no token or no Portal URL', () => {
    assert.throws(
      () => new QuixStreamingClient(undefined, { env: {} }),
      (e: Error) => e instanceof ConfigurationError && /Quix__Sdk__Token/.test(e.message),
    );
    assert.throws(
      () => new QuixStreamingClient(token, { env: {} }),
      (e: Error) => e instanceof ConfigurationError && /Quix__Portal__Api/.test(e.message),
    );
    assert.throws(() => new QuixStreamingClient('sgs_short', { portalApi: peer.url }), MalformedTokenError);
  });

  it('uses the only workspace the token sees', async () => {
    workspaces = [{ workspaceId: 'dev', name: 'Dev', status: 'Ready' }];
    peer.route('GET', '/workspaces/dev/broker/librdkafka', (_req, res) =>
      json(res, 200, { 'bootstrap.servers': '127.0.0.1:9', 'security.protocol': 'PLAINTEXT' }),
    );
    const client = new QuixStreamingClient(undefined, {
      env: { Quix__Sdk__Token: token, Quix__Portal__Api: peer.url },
    });
    assert.equal(await client.getWorkspaceId(), 'dev');
    await client.close();
  });

  it('says what to set when the token sees no workspace or several', async () => {
    workspaces = [];
    const none = new QuixStreamingClient(token, { portalApi: peer.url, env: {} });
    await assert.rejects(
      none.getWorkspaceId(),
      (e: Error) => e instanceof ConfigurationError && /Quix__Workspace__Id/.test(e.message),
    );
    workspaces = [
      { workspaceId: 'a', name: 'A', status: 'Ready' },
      { workspaceId: 'b', name: 'B', status: 'Ready' },
    ];
    const many = new QuixStreamingClient(token, { portalApi: peer.url, env: {} });
    await assert.rejects(
      many.getWorkspaceId(),
      (e: Error) => e instanceof ConfigurationError && /2 workspaces \(a, b\)/.test(e.message),
    );
    await Promise.all([none.close(), many.close()]);
  });

  it('reports a workspace the token cannot see as a configuration problem', async () => {
    const client = new QuixStreamingClient(token, { portalApi: peer.url, workspaceId: 'ghost', env: {} });
    await assert.rejects(
      client.getWorkspaceId(),
      (e: Error) => e instanceof ConfigurationError && /'ghost'/.test(e.message),
    );
    await client.close();
  });

  it('reports a token the Portal rejects as InvalidTokenError with the correlation id', async () => {
    const client = new QuixStreamingClient(`sgs_${'w'.repeat(40)}`, { portalApi: peer.url, env: {} });
    const error = await client.getTopicProducer('orders').catch((e: unknown) => e);
    assert.ok(error instanceof InvalidTokenError);
    assert.equal(error.correlationId, 'c-1');
    await client.close();
  });

  it('refuses a misspelt producer framing before asking the Portal anything', async () => {
    const client = new QuixStreamingClient(token, { portalApi: peer.url, env: {} });
    const asked = peer.requests.length;
    await assert.rejects(
      client.getTopicProducer('orders', { framing: 'Headerless' as 'headerless' }),
      (e: Error) => e instanceof TypeError && /options\.framing must be one of/.test(e.message),
    );
    assert.equal(peer.requests.length, asked);
    await client.close();
  });

  it('refuses work after close()', async () => {
    const client = new QuixStreamingClient(token, { portalApi: peer.url, env: {} });
    await client.close();
    await assert.rejects(client.getTopicProducer('x'), /closed/);
  });
});
