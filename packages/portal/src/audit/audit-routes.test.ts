import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  bearer,
  type Caller,
  type Harness,
  inDays,
  startHarness,
} from '../../test-support/portal-harness.ts';

interface Entry {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  workspaceId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  address: string | null;
}

describe('GET /audit', () => {
  let h: Harness;
  let admin: Caller;
  let wsAdmin: Caller & { email: string; userId: string };
  let viewer: Caller;

  const read = async (query: string, caller: Caller = admin) => {
    const response = await h.inject({ method: 'GET', url: `/audit${query}`, headers: caller.headers });
    return {
      status: response.statusCode,
      body: response.json() as { entries: Entry[]; nextBefore: string | null },
    };
  };
  const all = async (query = '') => (await read(`?limit=200${query}`)).body.entries;

  before(async () => {
    h = await startHarness();
    admin = await h.admin();
    await h.createWorkspace('alpha');
    await h.createWorkspace('beta');
    wsAdmin = await h.userWithRole('Viewer', { alpha: 'Admin' });
    viewer = await h.userWithRole('Viewer');
    await h.rotate('alpha');
    await h.rotate('beta');
    // The workspace Admin rotates alpha and views its values.
    const pair = await h.inject({
      method: 'GET',
      url: '/workspaces/alpha/streaming-tokens',
      headers: wsAdmin.headers,
    });
    await h.inject({
      method: 'POST',
      url: '/workspaces/alpha/streaming-tokens/rotate',
      headers: { ...wsAdmin.headers, 'if-match': String(pair.headers.etag) },
    });
    // A PAT's action is the user's, marked with the PAT.
    const pat = await h.createPat(admin, { name: 'audit', expiresAt: inDays(2) });
    await h.inject({
      method: 'POST',
      url: '/workspaces',
      headers: bearer(pat),
      payload: { workspaceId: 'gamma', name: 'Gamma' },
    });
  });
  after(async () => {
    await h.close();
  });

  it('lists entries newest first, with actor, action, workspace and address', async () => {
    const entries = await all();
    assert.ok(entries.length >= 15, String(entries.length));
    for (let i = 1; i < entries.length; i++) {
      assert.ok(entries[i - 1]!.id > entries[i]!.id, 'ids descend');
      assert.ok(entries[i - 1]!.at >= entries[i]!.at, 'times do not increase');
    }
    const created = entries.find((e) => e.action === 'workspace.create' && e.workspaceId === 'alpha');
    assert.ok(created);
    assert.deepEqual(created.actor.kind, 'user');
    assert.equal(created.actor.label, h.adminEmail);
    assert.equal(created.address, '127.0.0.1');
    const byPat = entries.find((e) => e.action === 'workspace.create' && e.workspaceId === 'gamma');
    assert.equal(byPat?.details.via, 'pat');
    assert.match(String(byPat?.details.patId), /^pat-/);
  });

  it('filters by workspace', async () => {
    const entries = await all('&workspaceId=alpha');
    assert.ok(entries.length > 0);
    assert.ok(entries.every((e) => e.workspaceId === 'alpha'));
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      'workspace.create',
      'streaming_tokens.rotate',
      'streaming_tokens.view',
      'member.set',
    ]) {
      assert.ok(actions.has(action), action);
    }
    assert.deepEqual(await all('&workspaceId=nowhere'), []);
  });

  it('filters by actor email or id', async () => {
    const byEmail = await all(`&actor=${encodeURIComponent(wsAdmin.email)}`);
    assert.ok(byEmail.length >= 3);
    assert.ok(byEmail.every((e) => e.actor.label === wsAdmin.email));
    assert.ok(byEmail.some((e) => e.action === 'auth.login'));
    const byId = await all(`&actor=${wsAdmin.userId}`);
    assert.deepEqual(
      byId.map((e) => e.id),
      byEmail.map((e) => e.id),
    );
    assert.deepEqual(await all('&actor=nobody@example.test'), []);
  });

  it('filters by action, and combines filters', async () => {
    const rotations = await all('&action=streaming_tokens.rotate');
    assert.equal(rotations.length, 3);
    assert.ok(rotations.every((e) => e.action === 'streaming_tokens.rotate'));
    const combined = await all(
      `&action=streaming_tokens.rotate&workspaceId=alpha&actor=${encodeURIComponent(wsAdmin.email)}`,
    );
    assert.equal(combined.length, 1);
    assert.equal(combined[0]!.actor.id, wsAdmin.userId);
  });

  it('pages with before = nextBefore, without gaps or overlaps', async () => {
    const everything = await all();
    const seen: string[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=4${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const { status, body } = await read(query);
      assert.equal(status, 200);
      assert.ok(body.entries.length <= 4);
      if (body.nextBefore !== null) {
        assert.equal(body.entries.length, 4);
        assert.equal(body.nextBefore, body.entries.at(-1)!.id);
      }
      seen.push(...body.entries.map((e) => e.id));
      before = body.nextBefore;
      assert.ok(++pages < 100, 'paging ends');
    } while (before !== null);
    assert.deepEqual(
      seen,
      everything.map((e) => e.id),
    );
    const filtered = await read('?limit=1&action=streaming_tokens.rotate');
    const second = await read(`?limit=1&action=streaming_tokens.rotate&before=${filtered.body.nextBefore}`);
    assert.equal(second.body.entries[0]!.action, 'streaming_tokens.rotate');
    assert.notEqual(second.body.entries[0]!.id, filtered.body.entries[0]!.id);
  });

  it('shows a workspace Admin only the entries of its workspaces', async () => {
    const { status, body } = await read('?limit=200', wsAdmin);
    assert.equal(status, 200);
    assert.ok(body.entries.length > 0);
    assert.ok(
      body.entries.every((e) => e.workspaceId === 'alpha'),
      'no other workspace and no organisation-level entry',
    );
    const alphaForAdmin = await all('&workspaceId=alpha');
    assert.deepEqual(
      body.entries.map((e) => e.id),
      alphaForAdmin.map((e) => e.id),
    );
    const beta = await read('?workspaceId=beta', wsAdmin);
    assert.equal(beta.status, 403);
    assert.equal((await read('?workspaceId=alpha', wsAdmin)).status, 200);
    const asActor = await read(`?actor=${encodeURIComponent(h.adminEmail)}&limit=200`, wsAdmin);
    assert.ok(asActor.body.entries.every((e) => e.workspaceId === 'alpha'));
  });

  it('refuses non-Admins', async () => {
    const response = await read('', viewer);
    assert.equal(response.status, 403);
  });
});
