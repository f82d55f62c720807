// Issue 10, authorization: each test is named after the attack it stops.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bearer,
  type Caller,
  type Harness,
  inDays,
  startHarness,
} from '../../test-support/portal-harness.ts';

describe('authorization attacks', () => {
  let h: Harness;
  let admin: Caller;
  before(async () => {
    h = await startHarness();
    await h.createWorkspace('acme');
    admin = await h.admin();
  });
  after(async () => {
    await h.close();
  });

  const get = (url: string, headers: Record<string, string>) => h.inject({ method: 'GET', url, headers });

  it('a read-only PAT cannot read streaming-token values (a value grants produce, consume and topic creation)', async () => {
    const readOnly = await h.createPat(admin, { name: 'dashboards', expiresAt: inDays(7), readOnly: true });
    const { token1, token2 } = await h.streamingTokens('acme');
    for (const url of [
      '/workspaces/acme/streaming-tokens',
      '/workspaces/acme/streaming-tokens?values=true',
    ]) {
      const response = await get(url, bearer(readOnly));
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().canViewValues, false);
      assert.ok(!response.body.includes(token1) && !response.body.includes(token2), url);
      assert.ok(!response.body.includes('sgs_'), url);
    }
    // The same Admin's session and a PAT that may write still see them.
    const full = await h.createPat(admin, { name: 'full', expiresAt: inDays(7) });
    assert.ok((await get('/workspaces/acme/streaming-tokens', bearer(full))).body.includes(token1));
    assert.ok((await get('/workspaces/acme/streaming-tokens', admin.headers)).body.includes(token1));
  });

  it('a PAT cannot mint a PAT that would outlive its own expiry or revocation', async () => {
    const parent = await h.createPat(admin, { name: 'parent', expiresAt: inDays(1) });
    const before = (await get('/profile/tokens', admin.headers)).json().length;
    const child = await h.inject({
      method: 'POST',
      url: '/profile/tokens',
      headers: bearer(parent),
      payload: { name: 'child', expiresAt: inDays(365) },
    });
    assert.equal(child.statusCode, 403, child.body);
    assert.equal(child.json().code, 'PORTAL_FORBIDDEN');
    assert.match(child.json().message, /session/);
    assert.ok(!child.body.includes('sgp_'));
    assert.equal((await get('/profile/tokens', admin.headers)).json().length, before, 'nothing was created');
    // The PAT may still list and revoke (itself included).
    assert.equal((await get('/profile/tokens', bearer(parent))).statusCode, 200);
  });

  it("a disabled user's open session and PATs stop working on the very next request", async () => {
    const user = await h.userWithRole('Editor');
    const pat = await h.createPat(user, { name: 'script', expiresAt: inDays(7) });
    assert.equal((await get('/workspaces/acme', user.headers)).statusCode, 200);
    assert.equal((await get('/workspaces/acme', bearer(pat))).statusCode, 200);
    const disabled = await h.inject({
      method: 'PATCH',
      url: `/users/${user.userId}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal(disabled.json().disabled, true);
    assert.equal((await get('/workspaces/acme', user.headers)).statusCode, 401);
    assert.equal((await get('/workspaces/acme', bearer(pat))).statusCode, 401);
    const login = await h.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: user.password },
    });
    assert.equal(login.statusCode, 401);
    assert.match(login.json().message, /disabled/);
    // Enabled again: the password works, the PATs made before stay dead.
    await h.inject({
      method: 'PATCH',
      url: `/users/${user.userId}`,
      headers: admin.headers,
      payload: { disabled: false },
    });
    const again = await h.login(user.email, user.password);
    assert.equal((await get('/workspaces/acme', again.headers)).statusCode, 200);
    assert.equal((await get('/workspaces/acme', bearer(pat))).statusCode, 401);
  });

  it("a deleted user's open session and PATs stop working on the very next request", async () => {
    const user = await h.userWithRole('Manager', { acme: 'Admin' });
    const pat = await h.createPat(user, { name: 'script', expiresAt: inDays(7) });
    const deleted = await h.inject({
      method: 'DELETE',
      url: `/users/${user.userId}`,
      headers: admin.headers,
    });
    assert.equal(deleted.statusCode, 204, deleted.body);
    assert.equal((await get('/workspaces/acme', user.headers)).statusCode, 401);
    assert.equal((await get('/workspaces/acme', bearer(pat))).statusCode, 401);
    assert.equal((await h.portal.store.listWorkspaceRoles('acme')).has(user.userId), false);
    const again = await h.inject({ method: 'DELETE', url: `/users/${user.userId}`, headers: admin.headers });
    assert.equal(again.statusCode, 404);
  });

  it('an Admin cannot disable or delete themself, so the organisation keeps an Admin', async () => {
    const me = (await get('/auth/me', admin.headers)).json().user.id as string;
    const adminPat = await h.createPat(admin, { name: 'self', expiresAt: inDays(1) });
    for (const headers of [admin.headers, bearer(adminPat)]) {
      const disable = await h.inject({
        method: 'PATCH',
        url: `/users/${me}`,
        headers,
        payload: { disabled: true },
      });
      assert.equal(disable.statusCode, 400, disable.body);
      const remove = await h.inject({ method: 'DELETE', url: `/users/${me}`, headers });
      assert.equal(remove.statusCode, 400, remove.body);
    }
    assert.equal((await get('/auth/me', admin.headers)).statusCode, 200, 'still logged in, still there');
  });

  it('a non-Admin cannot disable or delete anyone', async () => {
    const manager = await h.userWithRole('Manager');
    const victim = await h.userWithRole('Viewer');
    const disable = await h.inject({
      method: 'PATCH',
      url: `/users/${victim.userId}`,
      headers: manager.headers,
      payload: { disabled: true },
    });
    assert.equal(disable.statusCode, 403);
    const remove = await h.inject({
      method: 'DELETE',
      url: `/users/${victim.userId}`,
      headers: manager.headers,
    });
    assert.equal(remove.statusCode, 403);
    assert.equal((await get('/auth/me', victim.headers)).statusCode, 200);
  });

  it('a password change ends every other session, so a stolen cookie stops working', async () => {
    const user = await h.userWithRole('Viewer');
    const stolen = await h.login(user.email, user.password);
    const pat = await h.createPat(user, { name: 'kept', expiresAt: inDays(1) });
    const change = (headers: Record<string, string>, currentPassword: string, newPassword: string) =>
      h.inject({
        method: 'POST',
        url: '/profile/password',
        headers,
        payload: { currentPassword, newPassword },
      });
    const wrong = await change(user.headers, 'not-my-password', 'a-brand-new-password');
    assert.equal(wrong.statusCode, 400);
    assert.equal((await get('/auth/me', stolen.headers)).statusCode, 200, 'a refused change ends nothing');
    const short = await change(user.headers, user.password, 'short');
    assert.equal(short.statusCode, 400);
    assert.equal((await change(bearer(pat), user.password, 'a-brand-new-password')).statusCode, 403);

    const done = await change(user.headers, user.password, 'a-brand-new-password');
    assert.equal(done.statusCode, 204, done.body);
    assert.equal((await get('/auth/me', stolen.headers)).statusCode, 401, 'the other session ended');
    assert.equal((await get('/auth/me', user.headers)).statusCode, 200, 'the session that asked stays');
    await h.login(user.email, 'a-brand-new-password');
    const old = await h.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: user.email, password: user.password },
    });
    assert.equal(old.statusCode, 401);
  });

  it('a demotion to None leaves no workspace override working, unless the Admin says keepWorkspaceRoles', async () => {
    const user = await h.userWithRole('Editor', { acme: 'Admin' });
    const demote = (payload: Record<string, unknown>) =>
      h.inject({ method: 'PATCH', url: `/users/${user.userId}`, headers: admin.headers, payload });
    assert.equal((await demote({ role: 'None' })).statusCode, 200);
    assert.equal((await get('/workspaces/acme', user.headers)).statusCode, 404);
    assert.equal((await h.portal.store.workspaceRolesOf(user.userId)).size, 0);

    const kept = await h.userWithRole('Editor', { acme: 'Viewer' });
    const keep = await h.inject({
      method: 'PATCH',
      url: `/users/${kept.userId}`,
      headers: admin.headers,
      payload: { role: 'None', keepWorkspaceRoles: true },
    });
    assert.equal(keep.statusCode, 200, keep.body);
    assert.equal(
      (await get('/workspaces/acme', kept.headers)).statusCode,
      200,
      'a deliberate override stays',
    );
    const misuse = await demote({ role: 'Viewer', keepWorkspaceRoles: true });
    assert.equal(misuse.statusCode, 400);
  });
});
