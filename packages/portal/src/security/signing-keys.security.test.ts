// Issue 10, signing keys: each test is named after the attack it stops.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';
import { maxPatLifetimeMs } from '../pats/pat-rules.ts';

const kidOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing-key attacks', () => {
  const clock = fixedClock(new Date());
  const inDays = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString();
  let h: Harness;
  let admin: Caller;
  before(async () => {
    h = await startHarness({ clock });
    admin = await h.admin();
  });
  after(async () => {
    await h.close();
  });

  const rotate = (payload: Record<string, unknown>) =>
    h.inject({ method: 'POST', url: '/signing-keys/rotate', headers: admin.headers, payload });
  const jwksKids = async () =>
    (await h.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
  const brokerJwt = async () => {
    const { token1 } = await h.streamingTokens('dev');
    const minted = await h.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`dev:${token1}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    return minted.json().access_token as string;
  };

  it('a PAT signed by a retired (leaked) key is refused, even though its verifier was cached', async () => {
    const pat = await h.createPat(admin, { name: 'signed by the old key', expiresAt: inDays(30) });
    const use = () => h.inject({ method: 'GET', url: '/workspaces', headers: bearer(pat) });
    assert.equal((await use()).statusCode, 200, 'verified once: verifier and token cache are warm');
    const rotated = await rotate({ purpose: 'pat', retirePrevious: true, graceSeconds: 0 });
    assert.equal(rotated.statusCode, 200, rotated.body);
    assert.ok(rotated.json().retiring.some((r: { kid: string }) => r.kid === kidOf(pat.slice(4))));
    const refused = await use();
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, 'PORTAL_INVALID_TOKEN');
    assert.match(refused.json().message, /retired/);
    const fresh = await h.createPat(admin, { name: 'new key', expiresAt: inDays(30) });
    assert.equal(kidOf(fresh.slice(4)), rotated.json().kid);
    assert.equal(
      (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(fresh) })).statusCode,
      200,
    );
  });

  it('a retired broker key leaves the JWKS after the broker JWT lifetime, so the broker stops trusting it', async () => {
    const oldKid = kidOf(await brokerJwt());
    const rotated = await rotate({ purpose: 'broker', retirePrevious: true });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const newKid = rotated.json().kid;
    assert.deepEqual(new Set(await jwksKids()), new Set([oldKid, newKid]), 'both during the grace period');
    assert.equal(kidOf(await brokerJwt()), newKid, 'the new key signs at once');
    clock.advance(h.portal.config.brokerJwtTtlSeconds * 1000);
    assert.deepEqual(await jwksKids(), [newKid], 'gone once nothing it signed can be valid');
  });

  // Last: it moves the clock a year on.
  it('a retired PAT key keeps verifying until its grace period (the longest PAT lifetime) is over, then never again', async () => {
    const pat = await h.createPat(admin, { name: 'long-lived', expiresAt: inDays(366) });
    const rotated = await rotate({ purpose: 'pat', retirePrevious: true });
    assert.equal(rotated.statusCode, 200, rotated.body);
    const retiring = rotated.json().retiring.find((r: { kid: string }) => r.kid === kidOf(pat.slice(4)));
    assert.equal(Date.parse(retiring.retiresAt), clock.now().getTime() + maxPatLifetimeMs);
    const use = () => h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(pat) });
    assert.equal((await use()).statusCode, 200, 'within the grace period');
    clock.advance(maxPatLifetimeMs - 1000);
    assert.equal((await use()).statusCode, 200);
    clock.advance(1000);
    assert.equal((await use()).statusCode, 401);
  });
});
