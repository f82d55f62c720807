import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';

/** Logs in from a given address (the limiter keys on it) and returns the raw response. */
const loginFrom = (h: Harness, email: string, password: string, remoteAddress = '127.0.0.1') =>
  h.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress });

const setCookieHeader = (headers: Record<string, unknown>): string => {
  const raw = headers['set-cookie'];
  return Array.isArray(raw) ? raw.join('\n') : String(raw ?? '');
};

describe('auth over HTTP', () => {
  const clock = fixedClock(new Date());
  let h: Harness;

  before(async () => {
    h = await startHarness({ clock });
    await h.createWorkspace('acme');
  });
  after(async () => {
    await h.close();
  });

  describe('login', () => {
    it('answers the user and a CSRF token, and sets an HttpOnly SameSite=Lax cookie (not Secure under http)', async () => {
      const response = await loginFrom(h, h.adminEmail, h.adminPassword);
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.user.email, h.adminEmail);
      assert.equal(body.user.role, 'Admin');
      assert.deepEqual(Object.keys(body.user).sort(), [
        'createdAt',
        'disabled',
        'email',
        'id',
        'name',
        'role',
      ]);
      assert.ok(typeof body.csrfToken === 'string' && body.csrfToken.length >= 20);
      const cookie = response.cookies.find((c) => c.name === 'sg_session');
      assert.ok(cookie, 'the session cookie is set');
      assert.ok(cookie.value.length >= 32);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.equal(cookie.path, '/');
      assert.notEqual(cookie.secure, true);
      const raw = setCookieHeader(response.headers);
      assert.match(raw, /HttpOnly/);
      assert.match(raw, /SameSite=Lax/);
      assert.doesNotMatch(raw, /Secure/);
      assert.ok(!response.body.includes(cookie.value), 'the cookie value is not in the body');
    });

    it('matches the email case-insensitively', async () => {
      const response = await loginFrom(h, `  ${h.adminEmail.toUpperCase()} `, h.adminPassword);
      assert.equal(response.statusCode, 200);
    });

    it('gives the same answer for an unknown email and a wrong password, and sets no cookie', async () => {
      const unknown = await loginFrom(h, 'nobody@example.test', 'whatever-password', '10.0.1.1');
      const wrong = await loginFrom(h, h.adminEmail, 'not-the-password', '10.0.1.2');
      for (const response of [unknown, wrong]) {
        assert.equal(response.statusCode, 401);
        assert.equal(response.cookies.length, 0);
        assert.equal(response.json().code, 'PORTAL_UNAUTHENTICATED');
      }
      assert.equal(unknown.json().message, wrong.json().message);
      assert.equal(unknown.json().message, 'Invalid email or password.');
    });

    it('audits successes and failures without the password', async () => {
      await loginFrom(h, 'audited@example.test', 'secret-guess-123', '10.0.1.3');
      const audit = await h.inject({
        method: 'GET',
        url: '/audit?action=auth.login_failed&actor=audited@example.test',
        headers: (await h.admin()).headers,
      });
      const entries = audit.json().entries;
      assert.equal(entries.length, 1);
      assert.equal(entries[0].address, '10.0.1.3');
      assert.ok(!audit.body.includes('secret-guess-123'));
      const logins = await h.inject({
        method: 'GET',
        url: `/audit?action=auth.login&actor=${h.adminEmail}`,
        headers: (await h.admin()).headers,
      });
      assert.ok(logins.json().entries.length >= 1);
    });

    it('accepts only JSON, so a cross-site form cannot log a browser in (login CSRF)', async () => {
      const credentials = `email=${encodeURIComponent(h.adminEmail)}&password=${encodeURIComponent(h.adminPassword)}`;
      const form = await h.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
        payload: credentials,
      });
      // Only the token endpoint parses forms at all.
      assert.equal(form.statusCode, 415);
      assert.equal(form.json().code, 'PORTAL_UNSUPPORTED_MEDIA_TYPE');
      assert.equal(form.cookies.length, 0);
      const text = await h.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({ email: h.adminEmail, password: h.adminPassword }),
      });
      assert.equal(text.statusCode, 400);
      assert.equal(text.cookies.length, 0);
      const json = await h.inject({
        method: 'POST',
        url: '/auth/login',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        payload: JSON.stringify({ email: h.adminEmail, password: h.adminPassword }),
      });
      assert.equal(json.statusCode, 200);
    });

    it('validates the body: missing or empty fields are a 400', async () => {
      for (const payload of [
        {},
        { email: h.adminEmail },
        { email: '', password: 'x' },
        { email: { a: 1 }, password: 'x' },
        { email: 'a@b.c', password: null },
      ]) {
        const response = await h.inject({ method: 'POST', url: '/auth/login', payload });
        assert.equal(response.statusCode, 400, JSON.stringify(payload));
        assert.equal(response.json().code, 'PORTAL_BAD_REQUEST');
      }
    });
  });

  describe('CSRF', () => {
    it('refuses cookie-authenticated writes without or with a wrong X-CSRF-Token, and changes nothing', async () => {
      const admin = await h.login(h.adminEmail, h.adminPassword);
      const other = await h.login(h.adminEmail, h.adminPassword);
      const victim = await h.userWithRole('Viewer');
      const cookieOnly = { cookie: admin.headers.cookie! };
      const pair = await h.streamingTokens('acme');
      const writes = [
        { method: 'POST', url: '/workspaces', payload: { workspaceId: 'csrf-made', name: 'x' } },
        { method: 'DELETE', url: '/workspaces/acme' },
        { method: 'PUT', url: `/workspaces/acme/members/${victim.userId}`, payload: { role: 'Admin' } },
        { method: 'DELETE', url: `/workspaces/acme/members/${victim.userId}` },
        { method: 'PATCH', url: `/users/${victim.userId}`, payload: { role: 'Admin' } },
        {
          method: 'POST',
          url: '/users',
          payload: { email: 'csrf@example.test', password: 'long-enough-pass' },
        },
        { method: 'POST', url: '/profile/tokens', payload: { name: 'csrf', expiresAt: inDays(1) } },
        {
          method: 'POST',
          url: '/workspaces/acme/streaming-tokens/rotate',
          headers: { 'if-match': pair.etag },
        },
        { method: 'POST', url: '/auth/logout' },
      ] as const;
      const csrfVariants: [string, Record<string, string>][] = [
        ['no header', {}],
        ['wrong token', { 'x-csrf-token': 'not-the-token' }],
        ['empty token', { 'x-csrf-token': '' }],
        ["another session's token", { 'x-csrf-token': other.headers['x-csrf-token']! }],
      ];
      for (const write of writes) {
        for (const [variant, csrf] of csrfVariants) {
          const response = await h.inject({
            method: write.method,
            url: write.url,
            payload: 'payload' in write ? write.payload : undefined,
            headers: { ...cookieOnly, ...csrf, ...('headers' in write ? write.headers : {}) },
          });
          assert.equal(
            response.statusCode,
            403,
            `${write.method} ${write.url} (${variant}): ${response.body}`,
          );
          assert.equal(response.json().code, 'PORTAL_CSRF');
        }
      }
      // Nothing changed.
      const ids = (await h.portal.store.listWorkspaces()).map((w) => w.workspaceId);
      assert.ok(ids.includes('acme'));
      assert.ok(!ids.includes('csrf-made'));
      assert.equal((await h.portal.store.workspaceRolesOf(victim.userId)).size, 0);
      assert.equal((await h.portal.store.findUserById(victim.userId))?.organisationRole, 'Viewer');
      assert.equal(await h.portal.store.findUserByEmail('csrf@example.test'), null);
      assert.deepEqual(
        await h.portal.store.listPats((await h.portal.store.findUserByEmail(h.adminEmail))!.id),
        [],
      );
      assert.equal((await h.streamingTokens('acme')).etag, pair.etag);
      const me = await h.inject({ method: 'GET', url: '/auth/me', headers: cookieOnly });
      assert.equal(me.statusCode, 200, 'the session survived the refused logout');
    });

    it('lets cookie-authenticated reads through without a CSRF token', async () => {
      const admin = await h.admin();
      for (const url of ['/workspaces', '/auth/me', '/workspaces/acme/streaming-tokens', '/users']) {
        const response = await h.inject({ method: 'GET', url, headers: { cookie: admin.headers.cookie! } });
        assert.equal(response.statusCode, 200, url);
      }
    });

    it('accepts the right CSRF token', async () => {
      const admin = await h.admin();
      const response = await h.inject({
        method: 'POST',
        url: '/workspaces',
        headers: admin.headers,
        payload: { workspaceId: 'csrf-ok', name: 'ok' },
      });
      assert.equal(response.statusCode, 201);
    });

    it('needs no CSRF token for bearer requests (PATs), even with a cookie alongside', async () => {
      const admin = await h.admin();
      const pat = await h.createPat(admin, { name: 'script', expiresAt: inDays(7) });
      const response = await h.inject({
        method: 'POST',
        url: '/workspaces',
        headers: { ...bearer(pat), cookie: admin.headers.cookie! },
        payload: { workspaceId: 'by-pat', name: 'by pat' },
      });
      assert.equal(response.statusCode, 201, response.body);
    });
  });

  describe('logout', () => {
    it('ends this session at once and clears the cookie; other sessions live on', async () => {
      const mine = await h.login(h.adminEmail, h.adminPassword);
      const other = await h.login(h.adminEmail, h.adminPassword);
      const logout = await h.inject({ method: 'POST', url: '/auth/logout', headers: mine.headers });
      assert.equal(logout.statusCode, 204);
      const cleared = logout.cookies.find((c) => c.name === 'sg_session');
      assert.ok(cleared, 'the cookie is cleared');
      assert.equal(cleared.value, '');
      for (const url of ['/auth/me', '/workspaces']) {
        const response = await h.inject({ method: 'GET', url, headers: mine.headers });
        assert.equal(response.statusCode, 401, url);
        assert.equal(response.json().code, 'PORTAL_UNAUTHENTICATED');
      }
      const write = await h.inject({
        method: 'POST',
        url: '/workspaces',
        headers: mine.headers,
        payload: { workspaceId: 'after-logout', name: 'x' },
      });
      assert.equal(write.statusCode, 401);
      assert.equal(await h.portal.store.findWorkspace('after-logout'), null);
      assert.equal(
        (await h.inject({ method: 'GET', url: '/auth/me', headers: other.headers })).statusCode,
        200,
      );
    });

    it('refuses an unknown or forged cookie', async () => {
      for (const value of ['', 'forged', 'a'.repeat(43)]) {
        const response = await h.inject({
          method: 'GET',
          url: '/auth/me',
          headers: { cookie: `sg_session=${value}` },
        });
        assert.equal(response.statusCode, 401, JSON.stringify(value));
      }
    });
  });

  describe('login rate limit', () => {
    it('slows a spray of one account from many addresses, yet lets its owner in from a fresh address', async () => {
      const user = await h.userWithRole('Viewer');
      for (let i = 0; i < 10; i++) {
        // Many addresses, one account: each address stays within its own budget.
        const response = await loginFrom(h, user.email, `wrong-${i}`, `10.0.2.${i}`);
        assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
      }
      // An address that already failed for this account waits for the account's delay...
      const limited = await loginFrom(h, user.email, 'wrong-again', '10.0.2.0');
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().code, 'PORTAL_RATE_LIMITED');
      assert.equal(typeof limited.json().correlationId, 'string');
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
      assert.equal(limited.cookies.length, 0);
      // ...but no hard lockout keyed by the email: the owner gets in from a fresh address (issue 10).
      assert.equal((await loginFrom(h, user.email, user.password, '10.0.2.100')).statusCode, 200);
      clock.advance(retryAfter * 1000);
      assert.equal((await loginFrom(h, user.email, user.password, '10.0.2.0')).statusCode, 200);
    });

    it('answers 429 after 10 failures from one address, across accounts', async () => {
      for (let i = 0; i < 10; i++) {
        const response = await loginFrom(h, `guess${i}@example.test`, 'password-guess', '10.0.3.1');
        assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
      }
      const limited = await loginFrom(h, h.adminEmail, h.adminPassword, '10.0.3.1');
      assert.equal(limited.statusCode, 429);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      clock.advance(15 * 60 * 1000);
      assert.equal((await loginFrom(h, h.adminEmail, h.adminPassword, '10.0.3.1')).statusCode, 200);
    });
  });

  describe('/auth/token/details', () => {
    it('describes a session', async () => {
      const admin = await h.login(h.adminEmail, h.adminPassword);
      const response = await h.inject({ method: 'GET', url: '/auth/token/details', headers: admin.headers });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      const me = (await h.inject({ method: 'GET', url: '/auth/me', headers: admin.headers })).json();
      assert.deepEqual(body, { kind: 'session', userId: me.user.id, email: h.adminEmail });
    });

    it('describes a PAT with its id, expiry, narrowing and read-only flag', async () => {
      const admin = await h.admin();
      const expiresAt = new Date(clock.now().getTime() + 3 * 86_400_000).toISOString();
      const created = await h.inject({
        method: 'POST',
        url: '/profile/tokens',
        headers: admin.headers,
        payload: { name: 'details', expiresAt, workspaces: ['acme'], readOnly: true },
      });
      assert.equal(created.statusCode, 201, created.body);
      const response = await h.inject({
        method: 'GET',
        url: '/auth/token/details',
        headers: bearer(created.json().token),
      });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      assert.equal(body.kind, 'pat');
      assert.equal(body.email, h.adminEmail);
      assert.equal(body.tokenId, created.json().id);
      assert.equal(body.expiresAt, expiresAt);
      assert.deepEqual(body.workspaces, ['acme']);
      assert.equal(body.readOnly, true);
      assert.equal(typeof body.userId, 'string');
    });

    it('describes a streaming token by workspace and token id, never its value', async () => {
      const { token2 } = await h.streamingTokens('acme');
      const tokens = (
        await h.inject({
          method: 'GET',
          url: '/workspaces/acme/streaming-tokens',
          headers: (await h.admin()).headers,
        })
      ).json();
      const response = await h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(token2) });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json(), {
        kind: 'streaming',
        workspaceId: 'acme',
        tokenId: tokens.token2.id,
      });
      assert.ok(!response.body.includes(token2));
    });

    it('answers 401 without credentials', async () => {
      const response = await h.inject({ method: 'GET', url: '/auth/token/details' });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().code, 'PORTAL_UNAUTHENTICATED');
    });
  });
});

describe('session lifetime', () => {
  it('expires a session after 12 hours', async () => {
    const clock = fixedClock(new Date());
    const h = await startHarness({ clock });
    try {
      const session = await h.login(h.adminEmail, h.adminPassword);
      const me = () => h.inject({ method: 'GET', url: '/auth/me', headers: session.headers });
      clock.advance(12 * 60 * 60 * 1000 - 1000);
      assert.equal((await me()).statusCode, 200);
      clock.advance(1000);
      const expired = await me();
      assert.equal(expired.statusCode, 401);
      assert.equal(expired.json().code, 'PORTAL_UNAUTHENTICATED');
    } finally {
      await h.close();
    }
  });
});

describe('auth cookie under https', () => {
  it('is Secure when STREAMGATE_PUBLIC_URL is https', async () => {
    const h = await startHarness({ env: { STREAMGATE_PUBLIC_URL: 'https://portal.example.test' } });
    try {
      const response = await loginFrom(h, h.adminEmail, h.adminPassword);
      assert.equal(response.statusCode, 200);
      const cookie = response.cookies.find((c) => c.name === 'sg_session');
      assert.equal(cookie?.secure, true);
      assert.equal(cookie?.httpOnly, true);
      assert.equal(cookie?.sameSite, 'Lax');
      assert.match(setCookieHeader(response.headers), /; Secure/);
    } finally {
      await h.close();
    }
  });
});
