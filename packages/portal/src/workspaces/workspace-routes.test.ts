import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import type { Store } from '../storage/storage.ts';
import { prefixCollision } from './workspace-id.ts';

describe('workspaces over HTTP', () => {
  let h: Harness;
  let admin: Caller;
  const create = (workspaceId: unknown, name: unknown = 'A workspace') =>
    h.inject({ method: 'POST', url: '/workspaces', headers: admin.headers, payload: { workspaceId, name } });
  const getWs = (workspaceId: string, caller: Caller = admin) =>
    h.inject({ method: 'GET', url: `/workspaces/${workspaceId}`, headers: caller.headers });
  const remove = (workspaceId: string) =>
    h.inject({ method: 'DELETE', url: `/workspaces/${workspaceId}`, headers: admin.headers });
  const listIds = async (caller: Caller) =>
    (
      (await h.inject({ method: 'GET', url: '/workspaces', headers: caller.headers })).json() as {
        workspaceId: string;
      }[]
    ).map((w) => w.workspaceId);

  before(async () => {
    h = await startHarness();
    admin = await h.admin();
  });
  after(async () => {
    await h.close();
  });

  it('creates, reads and deletes a workspace with its token pair', async () => {
    const created = await create('shop-dev', '  Shop (dev)  ');
    assert.equal(created.statusCode, 201, created.body);
    const body = created.json();
    assert.equal(body.workspaceId, 'shop-dev');
    assert.equal(body.name, 'Shop (dev)');
    assert.equal(body.status, 'Ready');
    assert.equal(body.role, 'Admin');
    assert.equal(body.version, 2);
    assert.equal(body.brokerType, 'SelfHosted');
    assert.deepEqual(body.brokerSettings, { brokerType: 'SelfHosted', syncTopics: false });
    const fetched = await getWs('shop-dev');
    assert.equal(fetched.statusCode, 200);
    assert.deepEqual(fetched.json(), body);
    assert.ok((await listIds(admin)).includes('shop-dev'));
    const pair = await h.streamingTokens('shop-dev');
    assert.notEqual(pair.token1, pair.token2);

    const removed = await remove('shop-dev');
    assert.equal(removed.statusCode, 200);
    // Without a broker there is no Kafka data to remove: the id is free at once.
    assert.deepEqual(removed.json(), {
      workspaceId: 'shop-dev',
      kafkaData: {
        complete: true,
        steps: {
          topics: { done: true, remaining: 0, detail: 'no broker is configured' },
          consumerGroups: { done: true, remaining: 0, detail: 'no broker is configured' },
          transactionalIds: { done: true, remaining: 0, detail: 'no broker is configured' },
        },
      },
    });
    assert.equal((await getWs('shop-dev')).statusCode, 404);
    assert.ok(!(await listIds(admin)).includes('shop-dev'));
    assert.equal((await remove('shop-dev')).statusCode, 404, 'deleting twice');
    // Its tokens died with it: no portal access, no broker credentials.
    for (const token of [pair.token1, pair.token2]) {
      assert.equal(
        (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) })).statusCode,
        401,
      );
      const minted = await h.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: {
          authorization: `Basic ${Buffer.from(`shop-dev:${token}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(minted.statusCode, 401);
    }
    assert.equal(
      (await h.portal.store.listActiveTokens()).filter((t) => t.workspaceId === 'shop-dev').length,
      0,
    );
  });

  it('starts a re-created workspace clean: new tokens, no old overrides', async () => {
    assert.equal((await create('phoenix')).statusCode, 201);
    const old = await h.streamingTokens('phoenix');
    const user = await h.userWithRole('Editor', { phoenix: 'None' });
    assert.equal((await getWs('phoenix', user)).statusCode, 404);
    assert.equal((await remove('phoenix')).statusCode, 200);
    assert.equal((await create('phoenix')).statusCode, 201);
    const fresh = await h.streamingTokens('phoenix');
    assert.notEqual(fresh.token1, old.token1);
    assert.equal(
      (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(old.token1) })).statusCode,
      401,
    );
    const seen = await getWs('phoenix', user);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().role, 'Editor');
  });

  it('refuses an id that is a hyphen-prefix of another, both ways, and says why', async () => {
    assert.equal((await create('acme')).statusCode, 201);
    for (const [candidate, existing] of [
      ['acme-prod', 'acme'],
      ['acme-prod-eu', 'acme'],
    ]) {
      const response = await create(candidate);
      assert.equal(response.statusCode, 400, candidate);
      assert.equal(response.json().code, 'PORTAL_BAD_REQUEST');
      assert.match(response.json().message, new RegExp(`'${candidate}' overlaps '${existing}'`));
      assert.match(response.json().message, /prefixed/);
    }
    assert.equal((await create('globex-prod')).statusCode, 201);
    const reverse = await create('globex');
    assert.equal(reverse.statusCode, 400);
    assert.match(reverse.json().message, /'globex' overlaps 'globex-prod'/);
    // Sharing letters without a hyphen boundary is fine.
    assert.equal((await create('acmeprod')).statusCode, 201);
    assert.equal((await create('acm')).statusCode, 201);
    const ids = await listIds(admin);
    for (const refused of ['acme-prod', 'acme-prod-eu', 'globex']) assert.ok(!ids.includes(refused), refused);
  });

  it('answers 409 for a duplicate id and keeps the original', async () => {
    assert.equal((await create('dup', 'Original')).statusCode, 201);
    const before = await h.streamingTokens('dup');
    const again = await create('dup', 'Impostor');
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'PORTAL_CONFLICT');
    assert.match(again.json().message, /already exists/);
    assert.equal((await getWs('dup')).json().name, 'Original');
    assert.deepEqual(await h.streamingTokens('dup'), before);
  });

  it('refuses invalid ids and names with 400', async () => {
    const before = await listIds(admin);
    for (const id of [
      'Acme',
      'acme_dev',
      'a--b',
      '-a',
      'a-',
      'a b',
      'ä',
      '',
      'x'.repeat(65),
      null,
      {},
      ['a', 'b'],
    ]) {
      const response = await create(id);
      assert.equal(response.statusCode, 400, JSON.stringify(id));
      assert.equal(response.json().code, 'PORTAL_BAD_REQUEST');
    }
    for (const name of ['', '   ', 'n'.repeat(101)]) {
      const response = await create('named', name);
      assert.equal(response.statusCode, 400, JSON.stringify(name));
    }
    assert.equal((await create('x'.repeat(64))).statusCode, 201, '64 characters is fine');
    assert.deepEqual((await listIds(admin)).sort(), [...before, 'x'.repeat(64)].sort());
  });

  describe('members', () => {
    const members = (workspaceId: string) =>
      h.inject({ method: 'GET', url: `/workspaces/${workspaceId}/members`, headers: admin.headers });
    const setRole = (workspaceId: string, userId: string, role: string) =>
      h.inject({
        method: 'PUT',
        url: `/workspaces/${workspaceId}/members/${userId}`,
        headers: admin.headers,
        payload: { role },
      });
    const reset = (workspaceId: string, userId: string) =>
      h.inject({
        method: 'DELETE',
        url: `/workspaces/${workspaceId}/members/${userId}`,
        headers: admin.headers,
      });

    before(async () => {
      await create('team');
      await create('other-team');
    });

    it('lists the inherited role, sets an override, and removes it again', async () => {
      const user = await h.userWithRole('Viewer');
      const row = async () =>
        (await members('team')).json().find((m: { userId: string }) => m.userId === user.userId);
      assert.deepEqual(await row(), {
        userId: user.userId,
        email: user.email,
        name: user.email.split('@')[0],
        organisationRole: 'Viewer',
        workspaceRole: null,
        effectiveRole: 'Viewer',
      });

      const set = await setRole('team', user.userId, 'Manager');
      assert.equal(set.statusCode, 200);
      assert.equal(set.json().workspaceRole, 'Manager');
      assert.equal(set.json().effectiveRole, 'Manager');
      assert.equal((await getWs('team', user)).json().role, 'Manager');
      assert.equal(
        (await getWs('other-team', user)).json().role,
        'Viewer',
        'other workspaces keep the inherited role',
      );
      // The new role applies to the session's very next request.
      const asManager = await h.inject({
        method: 'GET',
        url: '/workspaces/team/members',
        headers: user.headers,
      });
      assert.equal(asManager.statusCode, 200);

      const back = await reset('team', user.userId);
      assert.equal(back.statusCode, 200);
      assert.equal(back.json().workspaceRole, null);
      assert.equal(back.json().effectiveRole, 'Viewer');
      assert.deepEqual(await row(), { ...(await row()), workspaceRole: null, effectiveRole: 'Viewer' });
      const asViewer = await h.inject({
        method: 'GET',
        url: '/workspaces/team/members',
        headers: user.headers,
      });
      assert.equal(asViewer.statusCode, 403);

      const audit = (
        await h.inject({ method: 'GET', url: '/audit?workspaceId=team', headers: admin.headers })
      ).json().entries as { action: string; target: string; details: Record<string, unknown> }[];
      const mine = audit.filter((e) => e.target === user.email);
      assert.deepEqual(
        mine.map((e) => [e.action, e.details.from, e.details.to]),
        [
          ['member.remove', 'Manager', 'Viewer'],
          ['member.set', 'Viewer', 'Manager'],
        ],
      );
    });

    it('blocks the workspace for a user with a None override, and only that workspace', async () => {
      const manager = await h.userWithRole('Manager');
      assert.equal((await setRole('team', manager.userId, 'None')).statusCode, 200);
      const ids = await listIds(manager);
      assert.ok(!ids.includes('team'));
      assert.ok(ids.includes('other-team'));
      for (const url of [
        '/workspaces/team',
        '/workspaces/team/streaming-tokens',
        '/workspaces/team/members',
        '/team/topics',
      ]) {
        const response = await h.inject({ method: 'GET', url, headers: manager.headers });
        assert.equal(response.statusCode, 404, url);
        assert.ok(!response.body.includes('sgs_'));
      }
      // The same answer as for a workspace that does not exist: ids do not leak.
      const hidden = (await getWs('team', manager)).json().message;
      const missing = (await getWs('no-such', manager)).json().message;
      assert.equal(hidden.replace('team', 'X'), missing.replace('no-such', 'X'));
      assert.equal((await getWs('other-team', manager)).statusCode, 200);
    });

    it('keeps an organisation Admin Admin: an override is refused', async () => {
      const otherAdmin = await h.userWithRole('Admin');
      const response = await setRole('team', otherAdmin.userId, 'None');
      assert.equal(response.statusCode, 400);
      assert.match(response.json().message, /organisation Admin/);
      assert.equal((await getWs('team', otherAdmin)).json().role, 'Admin');
    });

    it('answers 404 for unknown users and workspaces, and 400 for unknown roles', async () => {
      const user = await h.userWithRole('Viewer');
      assert.equal((await setRole('team', 'u-nobody', 'Viewer')).statusCode, 404);
      assert.equal((await setRole('nowhere', user.userId, 'Viewer')).statusCode, 404);
      assert.equal((await reset('team', 'u-nobody')).statusCode, 404);
      assert.equal((await setRole('team', user.userId, 'Owner')).statusCode, 400);
      assert.equal((await h.portal.store.workspaceRolesOf(user.userId)).size, 0);
    });
  });
});

/**
 * Two creations racing, as on two portal instances: both read the list of workspaces before
 * either has inserted. A store wrapper holds the first `listWorkspaces` calls until all have
 * arrived, so the interleaving is certain rather than likely.
 */
function withListBarrier(store: Store) {
  let armed = 0;
  let release: (() => void)[] = [];
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'listWorkspaces') {
        return async () => {
          const result = await target.listWorkspaces();
          if (armed === 0) return result;
          armed--;
          if (armed === 0) {
            for (const go of release) go();
            release = [];
          } else {
            await new Promise<void>((resolve) => release.push(resolve));
          }
          return result;
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: wrapped, arm: (callers: number) => (armed = callers) };
}

describe('workspace creation races', () => {
  let h: Harness;
  let barrier: ReturnType<typeof withListBarrier>;
  let dir: string;
  const create = async (workspaceId: string) =>
    h.inject({
      method: 'POST',
      url: '/workspaces',
      headers: (await h.admin()).headers,
      payload: { workspaceId, name: workspaceId },
    });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'streamgate-race-'));
    barrier = withListBarrier(createSqliteStore(join(dir, 'portal.db')));
    h = await startHarness({ store: barrier.store });
    await h.admin();
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('never lets two overlapping ids both exist', async () => {
    barrier.arm(2);
    const responses = await Promise.all([create('race'), create('race-prod')]);
    const statuses = responses.map((r) => r.statusCode);
    assert.ok(statuses.filter((s) => s === 201).length <= 1, `both created: ${statuses}`);
    for (const response of responses.filter((r) => r.statusCode !== 201)) {
      assert.equal(response.statusCode, 400);
      assert.match(response.json().message, /overlaps/);
    }
    const ids = (await h.portal.store.listWorkspaces()).map((w) => w.workspaceId);
    for (const id of ids) assert.equal(prefixCollision(id, ids), null, `${id} overlaps in ${ids}`);
    // A refused id leaves no tokens behind.
    const tokenWorkspaces = new Set((await h.portal.store.listActiveTokens()).map((t) => t.workspaceId));
    assert.deepEqual([...tokenWorkspaces].sort(), [...ids].sort());
  });

  it('creates a duplicate id once: one 201, one 409, one token pair', async () => {
    barrier.arm(2);
    const responses = await Promise.all([create('twin'), create('twin')]);
    assert.deepEqual(responses.map((r) => r.statusCode).sort(), [201, 409]);
    assert.equal((await h.portal.store.listActiveTokens()).filter((t) => t.workspaceId === 'twin').length, 2);
  });
});
