import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';

/**
 * A busy session of everything that handles secrets, with the app logging at debug level;
 * then not one secret may appear in the captured log, in clear or as it travelled (Basic).
 */
describe('no secrets in logs', () => {
  let h: Harness;
  const secrets = new Map<string, string>();
  const remember = (what: string, value: string) => {
    assert.ok(value && value.length >= 8, `${what} is a real secret`);
    secrets.set(`${what} #${secrets.size}`, value);
  };
  const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

  before(async () => {
    h = await startHarness({ env: { STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:9092' } });
    remember('admin password', h.adminPassword);
    await h.createWorkspace('acme');

    // Logins: successes, failures with near-miss passwords, and a lockout.
    const login = await h.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: h.adminEmail, password: h.adminPassword },
    });
    const cookie = login.cookies.find((c) => c.name === 'sg_session')!.value;
    const csrf = login.json().csrfToken as string;
    remember('session cookie', cookie);
    remember('CSRF token', csrf);
    const session = { cookie: `sg_session=${cookie}`, 'x-csrf-token': csrf };
    const user = await h.userWithRole('Editor');
    remember('user password', user.password);
    remember('user session cookie', user.headers.cookie!.replace('sg_session=', ''));
    remember('user CSRF token', user.headers['x-csrf-token']!);
    for (let i = 0; i < 11; i++) {
      const guess = `${h.adminPassword}-guess-${i}`;
      remember('wrong password', guess);
      await h.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { email: h.adminEmail, password: guess },
        remoteAddress: '10.5.0.1',
      });
    }
    await h.inject({ method: 'GET', url: '/auth/me', headers: session });

    // Token views (values in the answer), rotations, and use of every token.
    const first = await h.streamingTokens('acme');
    remember('streaming token 1', first.token1);
    remember('streaming token 2', first.token2);
    await h.inject({ method: 'GET', url: '/workspaces/acme/streaming-tokens', headers: user.headers });
    await h.rotate('acme');
    const second = await h.streamingTokens('acme');
    remember('new streaming token', second.token2);
    for (const token of [first.token1, first.token2, second.token2]) {
      await h.inject({
        method: 'GET',
        url: '/workspaces',
        headers: { ...bearer(token), 'x-deployment-id': 'd' },
      });
      await h.inject({ method: 'GET', url: '/workspaces/acme/broker/librdkafka', headers: bearer(token) });
      // A typo'd copy of a real token is nearly the secret too.
      await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(`${token.slice(0, -1)}x`) });
    }

    // PATs: creation (token in the answer), use, a forged variant, revocation.
    const created = await h.inject({
      method: 'POST',
      url: '/profile/tokens',
      headers: session,
      payload: { name: 'logged?', expiresAt: inDays(3) },
    });
    const pat = created.json().token as string;
    remember('PAT', pat);
    remember('PAT signature', pat.split('.')[2]!);
    await h.inject({ method: 'GET', url: '/profile/tokens', headers: bearer(pat) });
    await h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(pat) });
    await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(`${pat.slice(0, -4)}AAAA`) });
    await h.inject({ method: 'DELETE', url: `/profile/tokens/${created.json().id}`, headers: session });
    await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(pat) });

    // The token endpoint: successes, failures, a rotated-away token, a lockout.
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const secret of [second.token1, second.token2, first.token1]) {
      const minted = await h.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic('acme', secret) },
        payload: 'grant_type=client_credentials',
      });
      if (minted.statusCode === 200) {
        const jwt = minted.json().access_token as string;
        remember('broker JWT', jwt);
        remember('broker JWT signature', jwt.split('.')[2]!);
      }
    }
    await h.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: form,
      payload: `grant_type=client_credentials&client_id=acme&client_secret=${second.token2}`,
    });
    for (let i = 0; i < 22; i++) {
      await h.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { ...form, authorization: basic('acme', `${second.token1.slice(0, -1)}${i % 10}`) },
        payload: 'grant_type=client_credentials',
        remoteAddress: '10.5.0.2',
      });
    }
    await h.inject({ method: 'POST', url: '/auth/logout', headers: session });
  });
  after(async () => {
    await h.close();
  });

  it('logged the traffic at debug level (the check below is not vacuous)', () => {
    const logs = h.logs();
    assert.equal(h.app.log.level, 'debug');
    assert.match(logs, /incoming request/);
    assert.match(logs, /\/oauth\/token/);
    assert.match(logs, /\/auth\/login/);
    assert.ok(logs.split('\n').length > 100);
  });

  it('holds no password, streaming token, PAT, cookie, CSRF token or broker JWT', () => {
    const logs = h.logs();
    const leaked: string[] = [];
    for (const [what, secret] of secrets) {
      if (logs.includes(secret)) leaked.push(what);
      if (logs.includes(Buffer.from(secret).toString('base64'))) leaked.push(`${what} (base64)`);
      if (logs.includes(encodeURIComponent(secret)) && encodeURIComponent(secret) !== secret)
        leaked.push(`${what} (URL-encoded)`);
    }
    assert.deepEqual(leaked, []);
    // Nothing that looks like one of our secrets either, whatever its origin.
    assert.doesNotMatch(logs, /sgs_[0-9A-Za-z]{20}/);
    assert.doesNotMatch(logs, /sgp_ey/);
    assert.doesNotMatch(logs, /eyJ[\w-]+\.eyJ[\w-]+\./);
    assert.doesNotMatch(logs, /sg_session=/);
    assert.doesNotMatch(logs, /authorization/i);
  });
});
