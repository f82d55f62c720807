import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type HttpPeer, json, startHttpPeer } from '../test-support/http-peer.ts';
import { BrokerCredentials, tokenLifetimeSeconds } from './credentials.ts';
import { TokenRevokedError } from './errors.ts';
import { PortalApi } from './portal-api.ts';
import { PortalHttp } from './portal-http.ts';

const secret = `sgs_${'s'.repeat(40)}`;

describe('broker credentials (token endpoint on a real HTTP peer)', () => {
  let peer: HttpPeer;
  let minted = 0;
  let mode: 'ok' | 'revoked' | 'down' = 'ok';
  before(async () => {
    peer = await startHttpPeer();
    peer.route('POST', '/oauth/token', (req, res) => {
      assert.equal(req.headers.authorization, `Basic ${Buffer.from(`dev:${secret}`).toString('base64')}`);
      assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.equal(req.body, 'grant_type=client_credentials');
      if (mode === 'revoked')
        return json(res, 401, { error: 'invalid_client', error_description: 'token rotated' });
      if (mode === 'down') return json(res, 503, { message: 'maintenance' });
      minted++;
      json(res, 200, { access_token: `jwt-${minted}`, token_type: 'Bearer', expires_in: 100 });
    });
  });
  after(() => peer.close());

  function credentials(now: () => number, revoked: TokenRevokedError[] = []) {
    const api = new PortalApi(
      new PortalHttp({
        baseUrl: peer.url,
        token: secret,
        timeoutMs: 2000,
        retry: { retries: 0, initialDelayMs: 1, maxDelayMs: 1 },
        deploymentId: null,
      }),
    );
    return new BrokerCredentials({
      api,
      tokenEndpointUrl: `${peer.url}/oauth/token`,
      clientId: 'dev',
      clientSecret: secret,
      refreshRatio: 0.8,
      onRevoked: (e) => revoked.push(e),
      now,
    });
  }

  it('keeps the JWT until 80% of its lifetime, then gets a new one', async () => {
    mode = 'ok';
    let clock = 1_000_000;
    const c = credentials(() => clock);
    const first = await c.getToken();
    assert.equal(await c.getToken(), first);
    clock += 79_000;
    assert.equal(await c.getToken(), first);
    clock += 2_000;
    assert.notEqual(await c.getToken(), first);
    c.close();
  });

  it('keeps using a still-valid JWT while the Portal has a hiccup', async () => {
    mode = 'ok';
    let clock = 2_000_000;
    const c = credentials(() => clock);
    const first = await c.getToken();
    mode = 'down';
    clock += 85_000;
    assert.equal(await c.getToken(), first);
    clock += 20_000;
    await assert.rejects(c.getToken(), /503/);
    c.close();
  });

  it('turns 401 invalid_client into TokenRevokedError, reported once, and stays revoked', async () => {
    mode = 'ok';
    let clock = 3_000_000;
    const revoked: TokenRevokedError[] = [];
    const c = credentials(() => clock, revoked);
    await c.getToken();
    mode = 'revoked';
    clock += 90_000;
    const error = await c.getToken().catch((e: unknown) => e);
    assert.ok(error instanceof TokenRevokedError);
    assert.match(error.message, /rotated or revoked .*401 invalid_client/);
    assert.ok(!error.message.includes(secret));
    mode = 'ok';
    await assert.rejects(c.getToken(), TokenRevokedError);
    assert.equal(await c.checkRevoked(), error);
    assert.equal(revoked.length, 1);
  });

  it('reads the lifetime from expires_in, else from the JWT exp', () => {
    assert.equal(tokenLifetimeSeconds({ expires_in: 42 }, 0), 42);
    const payload = Buffer.from(JSON.stringify({ exp: 1_000 })).toString('base64url');
    assert.equal(tokenLifetimeSeconds({ access_token: `h.${payload}.s` }, 900_000), 100);
  });
});
