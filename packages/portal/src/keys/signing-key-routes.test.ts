import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';

const kidOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()).kid as string;

describe('signing key rotation', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('signs new PATs with the new key while PATs signed before keep working', async () => {
    const admin = await h.admin();
    const before = await h.createPat(admin, { name: 'before', expiresAt: inDays(7) });
    const rotated = await h.inject({
      method: 'POST',
      url: '/signing-keys/rotate',
      headers: admin.headers,
      payload: { purpose: 'pat' },
    });
    assert.equal(rotated.statusCode, 200);
    const { kid } = rotated.json();
    const after = await h.createPat(admin, { name: 'after', expiresAt: inDays(7) });
    assert.equal(kidOf(after.slice(4)), kid);
    assert.notEqual(kidOf(before.slice(4)), kid);
    for (const pat of [before, after]) {
      assert.equal(
        (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(pat) })).statusCode,
        200,
      );
    }
  });

  it('publishes old and new broker keys, and mints with the new one', async () => {
    const admin = await h.admin();
    const jwksBefore = (await h.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
    const rotated = await h.inject({
      method: 'POST',
      url: '/signing-keys/rotate',
      headers: admin.headers,
      payload: { purpose: 'broker' },
    });
    const { kid, publishedKids } = rotated.json();
    const jwksAfter = (await h.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
    assert.deepEqual(new Set(jwksAfter), new Set([...jwksBefore, kid]));
    assert.deepEqual(new Set(publishedKids), new Set(jwksAfter));
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
    assert.equal(kidOf(minted.json().access_token), kid);
  });

  it('is audited, and refuses an unknown purpose', async () => {
    const admin = await h.admin();
    const bad = await h.inject({
      method: 'POST',
      url: '/signing-keys/rotate',
      headers: admin.headers,
      payload: { purpose: 'everything' },
    });
    assert.equal(bad.statusCode, 400);
    const audit = await h.inject({
      method: 'GET',
      url: '/audit?action=signing_key.rotate',
      headers: admin.headers,
    });
    assert.equal(audit.json().entries.length, 2);
  });

  it('refuses a grace period beyond what the key signed, or one without retirement, and changes nothing', async () => {
    const admin = await h.admin();
    const kids = async () =>
      (await h.inject({ method: 'GET', url: '/.well-known/jwks.json' }))
        .json()
        .keys.map((k: { kid: string }) => k.kid);
    const before = await kids();
    for (const payload of [
      { purpose: 'broker', retirePrevious: true, graceSeconds: h.portal.config.brokerJwtTtlSeconds + 1 },
      { purpose: 'broker', graceSeconds: 0 },
      { purpose: 'broker', retirePrevious: true, graceSeconds: -1 },
      { purpose: 'broker', retirePrevious: 'yes' },
    ]) {
      const answer = await h.inject({
        method: 'POST',
        url: '/signing-keys/rotate',
        headers: admin.headers,
        payload,
      });
      assert.equal(answer.statusCode, 400, JSON.stringify(payload));
      assert.equal(answer.json().code, 'PORTAL_BAD_REQUEST');
    }
    assert.deepEqual(await kids(), before);
  });
});
