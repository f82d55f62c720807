import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';

/**
 * Streaming tokens over one real keep-alive connection: the portal remembers the token a
 * connection presented last (to skip its checksum and hash), and this must never let a token
 * through that the same request would refuse on a fresh connection.
 */
describe('streaming tokens on a keep-alive connection', () => {
  let h: Harness;
  let origin: string;
  // One socket for every request below, so each one follows the previous on the same connection.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });

  before(async () => {
    h = await startHarness();
    await h.createWorkspace('alive');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    agent.destroy();
    await h.close();
  });

  /** GET over the shared connection: the status, the error code, and the client port used. */
  const get = (path: string, token: string) =>
    new Promise<{ status: number; code: string | undefined; port: number }>((resolve, reject) => {
      const req = request(
        `${origin}${path}`,
        { agent, headers: { authorization: `Bearer ${token}` } },
        (response) => {
          const port = (response.socket.address() as AddressInfo).port;
          let body = '';
          response.on('data', (chunk) => {
            body += chunk;
          });
          response.on('end', () => {
            const parsed = body ? JSON.parse(body) : {};
            resolve({
              status: response.statusCode ?? 0,
              code: parsed.code,
              port,
            });
          });
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('refuses a rotated-out token on the very next request over the same connection', async () => {
    const before = await h.streamingTokens('alive');
    const first = await get('/workspaces/alive', before.token1);
    const again = await get('/workspaces/alive', before.token1);
    assert.deepEqual([first.status, again.status], [200, 200]);

    assert.equal((await h.rotate('alive')).statusCode, 200);
    const refused = await get('/workspaces/alive', before.token1);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'PORTAL_TOKEN_REVOKED');
    assert.equal(refused.port, first.port, 'the same connection throughout');

    const now = await h.streamingTokens('alive');
    assert.equal((await get('/workspaces/alive', now.token1)).status, 200);
    assert.equal((await get('/workspaces/alive', now.token2)).status, 200);
    assert.equal((await get('/workspaces/alive', before.token1)).status, 401, 'and stays refused');
  });

  it('checks a changed token afresh: a typo after a good token is refused by its checksum', async () => {
    const { token1 } = await h.streamingTokens('alive');
    assert.equal((await get('/workspaces/alive', token1)).status, 200);
    const last = token1.at(-1) === 'A' ? 'B' : 'A';
    const typo = await get('/workspaces/alive', `${token1.slice(0, -1)}${last}`);
    assert.equal(typo.status, 401);
    assert.equal(typo.code, 'PORTAL_INVALID_TOKEN');
    assert.equal((await get('/workspaces/alive', token1)).status, 200);
  });

  it('gives a token only its own workspace, whatever the connection carried before', async () => {
    await h.createWorkspace('other');
    const mine = await h.streamingTokens('alive');
    const theirs = await h.streamingTokens('other');
    assert.equal((await get('/workspaces/alive', mine.token1)).status, 200);
    assert.equal((await get('/workspaces/alive', theirs.token1)).status, 404);
    assert.equal((await get('/workspaces/other', theirs.token1)).status, 200);
    assert.equal((await get('/workspaces/other', mine.token1)).status, 404);
  });

  it('refuses a deleted workspace’s token on the next request over the same connection', async () => {
    await h.createWorkspace('doomed');
    const { token1 } = await h.streamingTokens('doomed');
    assert.equal((await get('/workspaces/doomed', token1)).status, 200);
    const removed = await h.inject({
      method: 'DELETE',
      url: '/workspaces/doomed',
      headers: (await h.admin()).headers,
    });
    assert.equal(removed.statusCode, 200);
    const refused = await get('/workspaces', token1);
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'PORTAL_INVALID_TOKEN');
  });
});
