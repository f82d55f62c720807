import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';

const ws = 'acme';
const tokensUrl = (workspaceId: string) => `/workspaces/${workspaceId}/streaming-tokens`;
const rotateUrl = (workspaceId: string) => `/workspaces/${workspaceId}/streaming-tokens/rotate`;

describe('streaming tokens over HTTP', () => {
  const clock = fixedClock(new Date('2031-05-01T10:00:00.000Z'));
  let h: Harness;
  let workspaceCounter = 0;
  /** A workspace of its own per test, so rotations elsewhere do not interfere. */
  const freshWorkspace = async () => {
    const id = `rot${++workspaceCounter}`;
    await h.createWorkspace(id);
    return id;
  };
  const get = async (workspaceId: string, headers?: Record<string, string>) =>
    h.inject({ method: 'GET', url: tokensUrl(workspaceId), headers: headers ?? (await h.admin()).headers });
  const rotate = async (workspaceId: string, ifMatch?: string) =>
    h.inject({
      method: 'POST',
      url: rotateUrl(workspaceId),
      headers: { ...(await h.admin()).headers, ...(ifMatch === undefined ? {} : { 'if-match': ifMatch }) },
    });
  const activeTokens = async (workspaceId: string) =>
    (await h.portal.store.listActiveTokens()).filter((t) => t.workspaceId === workspaceId);
  const auditEntries = async (query: string) =>
    (
      await h.inject({ method: 'GET', url: `/audit?${query}&limit=200`, headers: (await h.admin()).headers })
    ).json().entries as { action: string; target: string | null; details: Record<string, unknown> }[];

  before(async () => {
    h = await startHarness({ clock });
    await h.createWorkspace(ws);
  });
  after(async () => {
    await h.close();
  });

  it('GET answers the pair with an ETag naming it, values for an Admin, and no-store', async () => {
    const response = await get(ws);
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(response.headers.etag, `"${body.token1.id}.${body.token2.id}"`);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(body.workspaceId, ws);
    assert.equal(body.canViewValues, true);
    assert.equal(body.canRotate, true);
    assert.match(body.token1.value, /^sgs_/);
    assert.match(body.token2.value, /^sgs_/);
    assert.notEqual(body.token1.value, body.token2.value);
  });

  it('refuses a rotation without If-Match with 428, and changes nothing', async () => {
    const workspaceId = await freshWorkspace();
    const before = await h.streamingTokens(workspaceId);
    for (const ifMatch of [undefined, '', '  ']) {
      const response = await rotate(workspaceId, ifMatch);
      assert.equal(response.statusCode, 428, JSON.stringify(ifMatch));
      assert.equal(response.json().code, 'PORTAL_PRECONDITION_REQUIRED');
      assert.match(response.json().message, /If-Match/);
    }
    assert.deepEqual(await h.streamingTokens(workspaceId), before);
  });

  it('refuses a stale or foreign If-Match with 409, and changes nothing', async () => {
    const workspaceId = await freshWorkspace();
    const stale = (await h.streamingTokens(workspaceId)).etag;
    assert.equal((await rotate(workspaceId, stale)).statusCode, 200);
    const current = await h.streamingTokens(workspaceId);
    const rotationsBefore = (await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.rotate`))
      .length;
    for (const ifMatch of [
      stale,
      '"nonsense"',
      '*',
      (await h.streamingTokens(ws)).etag,
      `${current.etag}, ${stale}`,
    ]) {
      const response = await rotate(workspaceId, ifMatch);
      assert.equal(response.statusCode, 409, ifMatch);
      assert.equal(response.json().code, 'PORTAL_CONFLICT');
      assert.match(response.json().message, /nothing was rotated/);
    }
    assert.deepEqual(await h.streamingTokens(workspaceId), current);
    assert.equal(
      (await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.rotate`)).length,
      rotationsBefore,
    );
    // Both current tokens still work.
    for (const token of [current.token1, current.token2]) {
      assert.equal(
        (await h.inject({ method: 'GET', url: `/workspaces/${workspaceId}`, headers: bearer(token) }))
          .statusCode,
        200,
      );
    }
  });

  it('rotates with the right If-Match: Token 2 becomes Token 1, a new Token 2, a new ETag', async () => {
    const workspaceId = await freshWorkspace();
    const before = (await get(workspaceId)).json();
    const etag = `"${before.token1.id}.${before.token2.id}"`;
    const response = await rotate(workspaceId, etag);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.token1.id, before.token2.id);
    assert.equal(body.token1.value, before.token2.value);
    assert.equal(body.token1.createdAt, before.token2.createdAt);
    assert.notEqual(body.token2.id, before.token1.id);
    assert.notEqual(body.token2.id, before.token2.id);
    assert.match(body.token2.value, /^sgs_/);
    assert.ok(![before.token1.value, before.token2.value].includes(body.token2.value));
    assert.equal(body.token2.createdAt, clock.now().toISOString());
    assert.equal(body.token2.lastUsedAt, null);
    assert.equal(response.headers.etag, `"${body.token1.id}.${body.token2.id}"`);
    assert.equal(response.headers['cache-control'], 'no-store');
    const active = await activeTokens(workspaceId);
    assert.deepEqual(active.map((t) => t.id).sort(), [body.token1.id, body.token2.id].sort());
  });

  it('accepts weak and bare If-Match forms', async () => {
    const workspaceId = await freshWorkspace();
    const first = await h.streamingTokens(workspaceId);
    assert.equal((await rotate(workspaceId, `W/${first.etag}`)).statusCode, 200);
    const second = await h.streamingTokens(workspaceId);
    assert.equal((await rotate(workspaceId, second.etag.replaceAll('"', ''))).statusCode, 200);
  });

  it('refuses the deactivated token on the very next request while the promoted and new ones work', async () => {
    const workspaceId = await freshWorkspace();
    const before = await h.streamingTokens(workspaceId);
    // The old Token 1 is in use right before the rotation.
    assert.equal(
      (await h.inject({ method: 'GET', url: `/workspaces/${workspaceId}`, headers: bearer(before.token1) }))
        .statusCode,
      200,
    );
    assert.equal((await rotate(workspaceId, before.etag)).statusCode, 200);
    const refused = await h.inject({
      method: 'GET',
      url: `/workspaces/${workspaceId}`,
      headers: bearer(before.token1),
    });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().code, 'PORTAL_TOKEN_REVOKED');
    assert.match(refused.json().message, /deactivated by a rotation/);
    const after = await h.streamingTokens(workspaceId);
    assert.equal(after.token1, before.token2);
    for (const token of [after.token1, after.token2]) {
      const response = await h.inject({
        method: 'GET',
        url: `/workspaces/${workspaceId}`,
        headers: bearer(token),
      });
      assert.equal(response.statusCode, 200);
    }
    // And for good: a second rotation refuses the previous Token 2 too, with the same code.
    assert.equal((await rotate(workspaceId, after.etag)).statusCode, 200);
    for (const token of [before.token1, before.token2]) {
      const response = await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) });
      assert.equal(response.statusCode, 401);
      assert.equal(response.json().code, 'PORTAL_TOKEN_REVOKED');
    }
  });

  it('lets exactly one of 10 concurrent rotations with the same If-Match win', async () => {
    const workspaceId = await freshWorkspace();
    const before = await h.streamingTokens(workspaceId);
    const responses = await Promise.all(Array.from({ length: 10 }, () => rotate(workspaceId, before.etag)));
    const statuses = responses.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    const winner = responses.find((r) => r.statusCode === 200)!.json();
    const active = await activeTokens(workspaceId);
    assert.equal(active.length, 2);
    assert.deepEqual(active.map((t) => [t.slot, t.id]).sort(), [
      [1, winner.token1.id],
      [2, winner.token2.id],
    ]);
    assert.equal((await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.rotate`)).length, 1);
    assert.equal((await h.streamingTokens(workspaceId)).token1, before.token2);
  });

  it('lets only Admins rotate: a Manager gets 403 and nothing changes', async () => {
    const workspaceId = await freshWorkspace();
    const manager = await h.userWithRole('Manager');
    const before = await h.streamingTokens(workspaceId);
    const response = await h.inject({
      method: 'POST',
      url: rotateUrl(workspaceId),
      headers: { ...manager.headers, 'if-match': before.etag },
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'PORTAL_FORBIDDEN');
    assert.deepEqual(await h.streamingTokens(workspaceId), before);
  });

  it('reads usage without values and without an audit entry when asked (?values=false)', async () => {
    const workspaceId = await freshWorkspace();
    const admin = await h.admin();
    const views = async () =>
      (await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.view`)).length;
    const before = await views();
    const quiet = await h.inject({
      method: 'GET',
      url: `${tokensUrl(workspaceId)}?values=false`,
      headers: admin.headers,
    });
    assert.equal(quiet.statusCode, 200);
    assert.equal('value' in quiet.json().token1, false);
    assert.equal('value' in quiet.json().token2, false);
    assert.equal(quiet.json().canViewValues, true, 'the caller may still reveal them');
    assert.ok(quiet.headers.etag, 'the ETag is there for a rotation');
    assert.equal(await views(), before, 'nothing was revealed, nothing audited');
    const revealed = await get(workspaceId);
    assert.ok('value' in revealed.json().token1);
    assert.equal(await views(), before + 1);
    const bad = await h.inject({
      method: 'GET',
      url: `${tokensUrl(workspaceId)}?values=maybe`,
      headers: admin.headers,
    });
    assert.equal(bad.statusCode, 400);
  });

  it("audits rotations and views with values, but not a Viewer's view without values", async () => {
    const workspaceId = await freshWorkspace();
    const viewsBefore = (await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.view`))
      .length;
    const viewer = await h.userWithRole('Viewer');
    const viewerGet = await get(workspaceId, viewer.headers);
    assert.equal(viewerGet.statusCode, 200);
    assert.equal('value' in viewerGet.json().token1, false);
    assert.equal(viewerGet.json().canViewValues, false);
    assert.equal(
      (await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.view`)).length,
      viewsBefore,
      'a view without values is not audited',
    );

    const editor = await h.userWithRole('Editor');
    const editorGet = await get(workspaceId, editor.headers);
    assert.ok('value' in editorGet.json().token1);
    const views = await auditEntries(
      `workspaceId=${workspaceId}&action=streaming_tokens.view&actor=${editor.email}`,
    );
    assert.equal(views.length, 1, 'a view with values is audited');
    const body = editorGet.json();
    assert.equal(views[0]!.target, `${body.token1.id},${body.token2.id}`);

    const pair = await h.streamingTokens(workspaceId);
    await rotate(workspaceId, pair.etag);
    const rotations = await auditEntries(`workspaceId=${workspaceId}&action=streaming_tokens.rotate`);
    assert.equal(rotations.length, 1);
    assert.equal(rotations[0]!.target, body.token1.id);
    assert.equal(rotations[0]!.details.deactivated, body.token1.id);
    assert.equal(rotations[0]!.details.promoted, body.token2.id);
    const now = (await get(workspaceId)).json();
    assert.equal(rotations[0]!.details.created, now.token2.id);
    // The audit log holds ids, never values.
    const everything = await h.inject({
      method: 'GET',
      url: `/audit?workspaceId=${workspaceId}`,
      headers: (await h.admin()).headers,
    });
    for (const value of [pair.token1, pair.token2, now.token2.value])
      assert.ok(!everything.body.includes(value));
  });

  it('answers 404 for a workspace that does not exist, and hides values from a streaming token', async () => {
    const missing = await get('no-such-workspace');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'PORTAL_NOT_FOUND');
    const { token1 } = await h.streamingTokens(ws);
    const byToken = await get(ws, bearer(token1));
    assert.equal(byToken.statusCode, 403);
    assert.ok(!byToken.body.includes('sgs_'));
  });

  describe('usage', () => {
    it('shows who used each token: time, user agent, address, deployment id', async () => {
      const workspaceId = await freshWorkspace();
      const pair = await h.streamingTokens(workspaceId);
      const first = clock.now();
      const used = await h.inject({
        method: 'GET',
        url: `/workspaces/${workspaceId}`,
        headers: {
          ...bearer(pair.token1),
          'user-agent': 'quixstreams/3.1',
          'x-deployment-id': 'deploy-42',
          'x-version': '2.0',
        },
        remoteAddress: '10.1.2.3',
      });
      assert.equal(used.statusCode, 200);
      clock.advance(60_000);
      const second = clock.now();
      await h.inject({
        method: 'GET',
        url: `/${workspaceId}/topics`,
        headers: { ...bearer(pair.token1), 'user-agent': 'QuixStreams.NET/0.7' },
        remoteAddress: '10.1.2.4',
      });
      const body = (await get(workspaceId)).json();
      assert.equal(body.token1.lastUsedAt, second.toISOString());
      assert.deepEqual(body.token1.lastUsedBy, {
        userAgent: 'QuixStreams.NET/0.7',
        address: '10.1.2.4',
        deploymentId: null,
      });
      assert.deepEqual(body.token1.recentClients, [
        {
          userAgent: 'QuixStreams.NET/0.7',
          address: '10.1.2.4',
          deploymentId: null,
          lastUsedAt: second.toISOString(),
        },
        {
          userAgent: 'quixstreams/3.1',
          address: '10.1.2.3',
          deploymentId: 'deploy-42',
          lastUsedAt: first.toISOString(),
        },
      ]);
      assert.equal(body.token2.lastUsedAt, null, 'Token 2 was not used');
      assert.equal(body.token2.lastUsedBy, null);
      assert.deepEqual(body.token2.recentClients, []);
    });

    it('updates one client in place when it comes back', async () => {
      const workspaceId = await freshWorkspace();
      const pair = await h.streamingTokens(workspaceId);
      const call = () =>
        h.inject({
          method: 'GET',
          url: '/workspaces',
          headers: { ...bearer(pair.token2), 'user-agent': 'same-client', 'x-deployment-id': 'd1' },
        });
      await call();
      await get(workspaceId); // flushes
      clock.advance(5_000);
      await call();
      const body = (await get(workspaceId)).json();
      assert.equal(body.token2.recentClients.length, 1);
      assert.equal(body.token2.lastUsedAt, clock.now().toISOString());
      assert.equal(body.token2.lastUsedBy.deploymentId, 'd1');
    });

    it('keeps the usage of the promoted token across a rotation', async () => {
      const workspaceId = await freshWorkspace();
      const pair = await h.streamingTokens(workspaceId);
      await h.inject({
        method: 'GET',
        url: '/workspaces',
        headers: { ...bearer(pair.token2), 'user-agent': 'promoted' },
      });
      const rotated = (await rotate(workspaceId, pair.etag)).json();
      assert.equal(rotated.token1.lastUsedBy.userAgent, 'promoted');
      assert.equal(rotated.token2.lastUsedAt, null);
    });
  });
});
