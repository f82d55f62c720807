import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';

/**
 * The permission matrix, as one table: every route × every kind of caller. The expectations
 * are written out by hand from the rules (docs/api.md, README), not derived from the code
 * under test. 'ok' means the request got past authorisation: a 2xx, or for topic writes the
 * 503 of a portal without a broker.
 */
type Expect = 'ok' | 401 | 403 | 404;
const callers = [
  'admin',
  'manager',
  'editor',
  'viewer',
  'none',
  'wsAdmin',
  'streamingOwn',
  'streamingOther',
  'patFull',
  'patNarrowedOther',
  'patNarrowedOwn',
  'patReadOnly',
  'patExpired',
  'patRevoked',
  'anonymous',
] as const;
type CallerName = (typeof callers)[number];

interface RouteCase {
  name: string;
  request: (
    ctx: Context,
    caller: CallerName,
  ) => Promise<{
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    payload?: Record<string, unknown>;
    headers?: Record<string, string>;
  }>;
  expect: Record<CallerName, Expect>;
}

interface Context {
  h: Harness;
  clock: ReturnType<typeof fixedClock>;
  callers: Record<CallerName, Caller>;
  /** A fresh workspace id the caller may be asked to act on (so destructive cases do not interfere). */
  freshWorkspace(): Promise<string>;
  victimUserId: string;
  /** A new Viewer that a destructive row may disable or delete. */
  freshUser(): Promise<string>;
  /** The passwords of the session callers (the admin's is the harness's). */
  passwords: Partial<Record<CallerName, string>>;
  /** A deployment of `ws` that the row may act on (a fresh one for destructive rows). */
  deployment(options?: { fresh?: boolean }): Promise<string>;
  /** A running rotation run of `ws`, the previous one cancelled (only one may run at a time). */
  runningRotation(): Promise<string>;
  cancelRotations(): Promise<void>;
}

const ws = 'acme';
const other = 'globex';
const day = 86_400_000;

// Short-hands for rows where most callers behave alike.
const row = (base: Expect, overrides: Partial<Record<CallerName, Expect>>): Record<CallerName, Expect> => {
  const out = {} as Record<CallerName, Expect>;
  for (const caller of callers) out[caller] = overrides[caller] ?? base;
  return { ...out, anonymous: overrides.anonymous ?? 401, patExpired: 401, patRevoked: 401 };
};

const routes: RouteCase[] = [
  {
    name: 'GET /workspaces',
    request: async () => ({ method: 'GET', url: '/workspaces' }),
    expect: row('ok', {}),
  },
  {
    name: 'POST /workspaces',
    request: async () => ({
      method: 'POST',
      url: '/workspaces',
      payload: { workspaceId: `new${Math.random().toString(36).slice(2, 8)}`, name: 'New' },
    }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'GET /workspaces/{ws}',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}` }),
    expect: row('ok', { none: 404, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'DELETE /workspaces/{ws}',
    request: async (ctx) => ({ method: 'DELETE', url: `/workspaces/${await ctx.freshWorkspace()}` }),
    expect: row(403, {
      admin: 'ok',
      patFull: 'ok',
      patNarrowedOwn: 404,
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
      streamingOwn: 404,
    }),
  },
  {
    name: 'GET /workspaces/{ws}/streaming-tokens',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/streaming-tokens` }),
    expect: row('ok', { none: 404, streamingOwn: 403, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'POST /workspaces/{ws}/streaming-tokens/rotate',
    request: async (ctx) => {
      const etag = (await ctx.h.streamingTokens(ws)).etag;
      return {
        method: 'POST',
        url: `/workspaces/${ws}/streaming-tokens/rotate`,
        headers: { 'if-match': etag },
      };
    },
    expect: row(403, {
      admin: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patNarrowedOwn: 'ok',
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'GET /profile/tokens',
    request: async () => ({ method: 'GET', url: '/profile/tokens' }),
    expect: row('ok', { streamingOwn: 403, streamingOther: 403 }),
  },
  {
    name: 'POST /profile/tokens',
    request: async () => ({
      method: 'POST',
      url: '/profile/tokens',
      payload: { name: 'matrix', expiresAt: new Date(Date.now() + 7 * day).toISOString() },
    }),
    // Only a session makes PATs: a PAT, even a full one, cannot mint another (issue 10).
    expect: row('ok', {
      streamingOwn: 403,
      streamingOther: 403,
      patFull: 403,
      patNarrowedOther: 403,
      patNarrowedOwn: 403,
      patReadOnly: 403,
    }),
  },
  {
    name: 'POST /profile/password',
    request: async (ctx, caller) => {
      // Each session caller "changes" its password to the same one, so later rows still log in.
      const password = ctx.passwords[caller] ?? ctx.h.adminPassword;
      return {
        method: 'POST',
        url: '/profile/password',
        payload: { currentPassword: password, newPassword: password },
      };
    },
    expect: row(403, {
      admin: 'ok',
      manager: 'ok',
      editor: 'ok',
      viewer: 'ok',
      none: 'ok',
      wsAdmin: 'ok',
    }),
  },
  {
    name: 'DELETE /profile/tokens/{id}',
    request: async (ctx, caller) => {
      // Each user caller revokes a PAT of its own; the id is made by the caller's user.
      const owner = ['patFull', 'patNarrowedOther', 'patNarrowedOwn', 'patReadOnly'].includes(caller)
        ? ctx.callers.admin
        : ctx.callers[caller];
      let id = 'pat-doesnotexist';
      if (owner.userId) {
        const made = await ctx.h.inject({
          method: 'POST',
          url: '/profile/tokens',
          headers: owner.headers,
          payload: { name: 'to-revoke', expiresAt: new Date(Date.now() + day).toISOString() },
        });
        id = made.json().id;
      }
      return { method: 'DELETE', url: `/profile/tokens/${id}` };
    },
    expect: row('ok', {
      streamingOwn: 403,
      streamingOther: 403,
      patNarrowedOther: 403,
      patNarrowedOwn: 403,
      patReadOnly: 403,
    }),
  },
  {
    name: 'GET /users',
    request: async () => ({ method: 'GET', url: '/users' }),
    expect: row(403, { admin: 'ok', patFull: 'ok', patReadOnly: 'ok' }),
  },
  {
    name: 'POST /users',
    request: async () => ({
      method: 'POST',
      url: '/users',
      payload: {
        email: `m${Math.random().toString(36).slice(2)}@example.test`,
        password: 'a-long-enough-password',
      },
    }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'PATCH /users/{id}',
    request: async (ctx) => ({
      method: 'PATCH',
      url: `/users/${ctx.victimUserId}`,
      payload: { name: 'Renamed' },
    }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'PATCH /users/{id} (disable)',
    request: async (ctx) => ({
      method: 'PATCH',
      url: `/users/${await ctx.freshUser()}`,
      payload: { disabled: true },
    }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'DELETE /users/{id}',
    request: async (ctx) => ({ method: 'DELETE', url: `/users/${await ctx.freshUser()}` }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'POST /signing-keys/rotate',
    request: async () => ({ method: 'POST', url: '/signing-keys/rotate', payload: { purpose: 'broker' } }),
    expect: row(403, { admin: 'ok', patFull: 'ok' }),
  },
  {
    name: 'GET /workspaces/{ws}/members',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/members` }),
    expect: row(403, {
      admin: 'ok',
      manager: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patNarrowedOwn: 'ok',
      patReadOnly: 'ok',
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'PUT /workspaces/{ws}/members/{id}',
    request: async (ctx) => ({
      method: 'PUT',
      url: `/workspaces/${ws}/members/${ctx.victimUserId}`,
      payload: { role: 'Viewer' },
    }),
    expect: row(403, {
      admin: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patNarrowedOwn: 'ok',
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'DELETE /workspaces/{ws}/members/{id}',
    request: async (ctx) => ({ method: 'DELETE', url: `/workspaces/${ws}/members/${ctx.victimUserId}` }),
    expect: row(403, {
      admin: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patNarrowedOwn: 'ok',
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'GET /audit',
    request: async () => ({ method: 'GET', url: '/audit' }),
    // A workspace Admin and an Admin's narrowed PATs read the entries of the workspaces they administer.
    expect: row(403, {
      admin: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patReadOnly: 'ok',
      patNarrowedOwn: 'ok',
      patNarrowedOther: 'ok',
    }),
  },
  {
    name: 'GET /audit?workspaceId={ws}',
    request: async () => ({ method: 'GET', url: `/audit?workspaceId=${ws}` }),
    // Who may not see the workspace learns nothing of it (404), like on every workspace route.
    expect: row(403, {
      admin: 'ok',
      wsAdmin: 'ok',
      patFull: 'ok',
      patReadOnly: 'ok',
      patNarrowedOwn: 'ok',
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'GET /auth/me',
    request: async () => ({ method: 'GET', url: '/auth/me' }),
    // It describes a browser session; tokens use /auth/token/details.
    expect: row(401, { admin: 'ok', manager: 'ok', editor: 'ok', viewer: 'ok', none: 'ok', wsAdmin: 'ok' }),
  },
  {
    // Authentication is optional: anyone gets the status, only an organisation Admin the details
    // (security/operations.security.test.ts); bad credentials are answered as anonymous.
    name: 'GET /readyz',
    request: async () => ({ method: 'GET', url: '/readyz' }),
    expect: Object.fromEntries(callers.map((caller) => [caller, 'ok'])) as Record<CallerName, Expect>,
  },
  {
    name: 'GET /auth/token/details',
    request: async () => ({ method: 'GET', url: '/auth/token/details' }),
    expect: row('ok', {}),
  },
  {
    name: 'GET /workspaces/{ws}/broker/librdkafka',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/broker/librdkafka` }),
    expect: row(403, { streamingOwn: 'ok', none: 404, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'GET /workspaces/{ws}/certificates',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/certificates` }),
    expect: row(403, { streamingOwn: 'ok', none: 404, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'GET /{ws}/topics',
    request: async () => ({ method: 'GET', url: `/${ws}/topics` }),
    expect: row('ok', { none: 404, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'GET /{ws}/topics/{name}',
    request: async () => ({ method: 'GET', url: `/${ws}/topics/orders` }),
    expect: row('ok', { none: 404, streamingOther: 404, patNarrowedOther: 404 }),
  },
  {
    name: 'POST /{ws}/topics',
    request: async () => ({ method: 'POST', url: `/${ws}/topics`, payload: { name: 'fresh' } }),
    expect: row('ok', {
      viewer: 403,
      patReadOnly: 403,
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
  {
    name: 'DELETE /{ws}/topics/{name}',
    request: async () => ({ method: 'DELETE', url: `/${ws}/topics/orders` }),
    expect: row('ok', {
      viewer: 403,
      patReadOnly: 403,
      streamingOwn: 403,
      none: 404,
      streamingOther: 404,
      patNarrowedOther: 404,
    }),
  },
];

// Deployments: Viewer reads, Editor operates and reads logs, Manager creates, changes and deletes;
// a streaming token reads its own workspace's deployments only.
const deploymentRead = row('ok', { none: 404, streamingOther: 404, patNarrowedOther: 404 });
const deploymentOperate = row(403, {
  admin: 'ok',
  manager: 'ok',
  editor: 'ok',
  wsAdmin: 'ok',
  patFull: 'ok',
  patNarrowedOwn: 'ok',
  none: 404,
  streamingOther: 404,
  patNarrowedOther: 404,
});
const deploymentManage = { ...deploymentOperate, editor: 403 } as const;
const tokensRead = row('ok', { none: 404, streamingOwn: 403, streamingOther: 404, patNarrowedOther: 404 });
const tokensRotate = row(403, {
  admin: 'ok',
  wsAdmin: 'ok',
  patFull: 'ok',
  patNarrowedOwn: 'ok',
  none: 404,
  streamingOther: 404,
  patNarrowedOther: 404,
});
let deploymentSerial = 0;

routes.push(
  {
    name: 'GET /workspaces/{ws}/deployments',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/deployments` }),
    expect: deploymentRead,
  },
  {
    name: 'POST /workspaces/{ws}/deployments',
    request: async () => ({
      method: 'POST',
      url: `/workspaces/${ws}/deployments`,
      payload: { name: `matrix-${++deploymentSerial}`, command: ['true'], start: false },
    }),
    expect: deploymentManage,
  },
  {
    name: 'GET /workspaces/{ws}/deployments/{id}',
    request: async (ctx) => ({
      method: 'GET',
      url: `/workspaces/${ws}/deployments/${await ctx.deployment()}`,
    }),
    expect: deploymentRead,
  },
  {
    name: 'PUT /workspaces/{ws}/deployments/{id}',
    request: async (ctx) => ({
      method: 'PUT',
      url: `/workspaces/${ws}/deployments/${await ctx.deployment()}`,
      payload: { replicas: 2 },
    }),
    expect: deploymentManage,
  },
  {
    name: 'DELETE /workspaces/{ws}/deployments/{id}',
    request: async (ctx) => ({
      method: 'DELETE',
      url: `/workspaces/${ws}/deployments/${await ctx.deployment({ fresh: true })}`,
    }),
    expect: deploymentManage,
  },
  ...(['start', 'stop', 'restart'] as const).map(
    (action): RouteCase => ({
      name: `POST /workspaces/{ws}/deployments/{id}/${action}`,
      request: async (ctx) => ({
        method: 'POST',
        url: `/workspaces/${ws}/deployments/${await ctx.deployment()}/${action}`,
      }),
      expect: deploymentOperate,
    }),
  ),
  {
    name: 'GET /workspaces/{ws}/deployments/{id}/logs',
    request: async (ctx) => ({
      method: 'GET',
      url: `/workspaces/${ws}/deployments/${await ctx.deployment()}/logs`,
    }),
    expect: { ...deploymentOperate, patReadOnly: 'ok' },
  },
  {
    name: 'GET /workspaces/{ws}/streaming-tokens/rotation-plan',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/streaming-tokens/rotation-plan` }),
    expect: tokensRead,
  },
  {
    name: 'GET /workspaces/{ws}/streaming-tokens/rotations',
    request: async () => ({ method: 'GET', url: `/workspaces/${ws}/streaming-tokens/rotations` }),
    expect: tokensRead,
  },
  {
    name: 'POST /workspaces/{ws}/streaming-tokens/rotations',
    request: async (ctx) => {
      await ctx.cancelRotations();
      return {
        method: 'POST',
        url: `/workspaces/${ws}/streaming-tokens/rotations`,
        headers: { 'if-match': (await ctx.h.streamingTokens(ws)).etag },
        payload: { mode: 'zero-downtime', quietSeconds: 3600 },
      };
    },
    expect: tokensRotate,
  },
  {
    name: 'GET /workspaces/{ws}/streaming-tokens/rotations/{id}',
    request: async (ctx) => ({
      method: 'GET',
      url: `/workspaces/${ws}/streaming-tokens/rotations/${await ctx.runningRotation()}`,
    }),
    expect: tokensRead,
  },
  ...(['cancel', 'force'] as const).map(
    (action): RouteCase => ({
      name: `POST /workspaces/{ws}/streaming-tokens/rotations/{id}/${action}`,
      request: async (ctx) => ({
        method: 'POST',
        url: `/workspaces/${ws}/streaming-tokens/rotations/${await ctx.runningRotation()}/${action}`,
      }),
      expect: tokensRotate,
    }),
  ),
);

describe('permission matrix', () => {
  const clock = fixedClock(new Date());
  let ctx: Context;

  before(async () => {
    // No broker behind this portal: topic writes that pass authorisation answer 503.
    // The process runner is configured (logs have somewhere to come from) but not started:
    // deployments are only wanted state here.
    const h = await startHarness({
      clock,
      env: { STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:9', STREAMGATE_RUNNER: 'process' },
    });
    await h.createWorkspace(ws);
    await h.createWorkspace(other);
    const admin = {
      ...(await h.admin()),
      userId: (await h.inject({ method: 'GET', url: '/auth/me', headers: (await h.admin()).headers })).json()
        .user.id,
    };
    const victim = await h.userWithRole('Viewer');
    const own = await h.streamingTokens(ws);
    const foreign = await h.streamingTokens(other);
    const pat = (body: Record<string, unknown>) =>
      h.createPat(admin, {
        name: 'matrix',
        expiresAt: new Date(clock.now().getTime() + 30 * day).toISOString(),
        ...body,
      });

    // An expired PAT: made in the past, valid for a day, and that day is over.
    const now = clock.now();
    clock.set(new Date(now.getTime() - 3 * day));
    const expiredPat = await h.createPat(await h.login(h.adminEmail, h.adminPassword), {
      name: 'old',
      expiresAt: new Date(clock.now().getTime() + day).toISOString(),
    });
    clock.set(now);

    const revokedPat = await pat({});
    const details = await h.inject({
      method: 'GET',
      url: '/auth/token/details',
      headers: bearer(revokedPat),
    });
    await h.inject({
      method: 'DELETE',
      url: `/profile/tokens/${details.json().tokenId}`,
      headers: admin.headers,
    });

    await h.portal.store.insertTopic({
      workspaceId: ws,
      name: 'orders',
      kafkaName: `${ws}-orders`,
      status: 'Ready',
      lastError: null,
      configuration: {
        partitions: 1,
        replicationFactor: 1,
        retentionInMinutes: 60,
        retentionInBytes: 1024,
        cleanupPolicy: 'Delete',
      },
      createdAt: now,
      updatedAt: now,
    });

    let fresh = 0;
    let sharedDeployment: string | null = null;
    const passwords: Partial<Record<CallerName, string>> = {};
    const sessionCaller = (name: CallerName, made: Caller & { password: string }): Caller => {
      passwords[name] = made.password;
      return made;
    };
    ctx = {
      h,
      clock,
      victimUserId: victim.userId,
      async freshUser() {
        return (await h.userWithRole('Viewer')).userId;
      },
      passwords,
      async freshWorkspace() {
        const id = `doomed${++fresh}`;
        await h.createWorkspace(id);
        return id;
      },
      async deployment(options = {}) {
        if (sharedDeployment && !options.fresh) return sharedDeployment;
        const created = await h.inject({
          method: 'POST',
          url: `/workspaces/${ws}/deployments`,
          headers: admin.headers,
          payload: { name: `target-${++fresh}`, command: ['true'], start: false },
        });
        if (created.statusCode !== 201) throw new Error(`deployment: ${created.body}`);
        const id = created.json().deploymentId as string;
        if (!options.fresh) sharedDeployment = id;
        return id;
      },
      async cancelRotations() {
        for (const run of await h.portal.store.listRunningRotationRuns())
          if (run.workspaceId === ws)
            await h.inject({
              method: 'POST',
              url: `/workspaces/${ws}/streaming-tokens/rotations/${run.rotationId}/cancel`,
              headers: admin.headers,
            });
      },
      async runningRotation() {
        await ctx.cancelRotations();
        const started = await h.inject({
          method: 'POST',
          url: `/workspaces/${ws}/streaming-tokens/rotations`,
          headers: { ...admin.headers, 'if-match': (await h.streamingTokens(ws)).etag },
          payload: { mode: 'zero-downtime', quietSeconds: 3600 },
        });
        if (started.statusCode !== 202) throw new Error(`rotation run: ${started.body}`);
        return started.json().rotationId as string;
      },
      callers: {
        admin,
        manager: sessionCaller('manager', await h.userWithRole('Manager')),
        editor: sessionCaller('editor', await h.userWithRole('Editor')),
        viewer: sessionCaller('viewer', await h.userWithRole('Viewer')),
        none: sessionCaller('none', await h.userWithRole('None')),
        wsAdmin: sessionCaller('wsAdmin', await h.userWithRole('Viewer', { [ws]: 'Admin' })),
        streamingOwn: { headers: bearer(own.token2) },
        streamingOther: { headers: bearer(foreign.token1) },
        patFull: { headers: bearer(await pat({})) },
        patNarrowedOther: { headers: bearer(await pat({ workspaces: [other] })) },
        patNarrowedOwn: { headers: bearer(await pat({ workspaces: [ws] })) },
        patReadOnly: { headers: bearer(await pat({ readOnly: true })) },
        patExpired: { headers: bearer(expiredPat) },
        patRevoked: { headers: bearer(revokedPat) },
        anonymous: { headers: {} },
      },
    };
  });

  after(async () => {
    await ctx.h.close();
  });

  for (const route of routes) {
    it(route.name, async () => {
      const mismatches: string[] = [];
      for (const caller of callers) {
        const prepared = await route.request(ctx, caller);
        // Rotations change the pair: a stale streaming token would fail for the wrong reason.
        if (caller === 'streamingOwn')
          ctx.callers.streamingOwn = { headers: bearer((await ctx.h.streamingTokens(ws)).token2) };
        const response: LightMyRequestResponse = await ctx.h.inject({
          ...prepared,
          headers: { ...ctx.callers[caller].headers, ...prepared.headers },
        });
        const expected = route.expect[caller];
        const status = response.statusCode;
        const passed = expected === 'ok' ? status < 300 || status === 503 : status === expected;
        if (!passed)
          mismatches.push(`${caller}: expected ${expected}, got ${status} ${response.body.slice(0, 160)}`);
        if (status >= 400) {
          const body = response.json();
          assert.equal(typeof body.message, 'string', `${caller}: error body has a message`);
          assert.equal(typeof body.correlationId, 'string', `${caller}: error body has a correlationId`);
        }
      }
      assert.deepEqual(mismatches, []);
    });
  }

  it('lists only what each caller may see', async () => {
    const ids = async (caller: CallerName) =>
      (
        (
          await ctx.h.inject({ method: 'GET', url: '/workspaces', headers: ctx.callers[caller].headers })
        ).json() as { workspaceId: string }[]
      )
        .map((w) => w.workspaceId)
        .filter((id) => id === ws || id === other);
    assert.deepEqual(await ids('streamingOwn'), [ws]);
    assert.deepEqual(await ids('streamingOther'), [other]);
    assert.deepEqual(await ids('none'), []);
    assert.deepEqual(await ids('patNarrowedOther'), [other]);
    assert.deepEqual(await ids('viewer'), [ws, other]);
    assert.deepEqual(await ids('wsAdmin'), [ws, other]);
  });

  it('shows token values to Admin, Manager and Editor only, never to a read-only PAT', async () => {
    for (const [caller, visible] of [
      ['admin', true],
      ['manager', true],
      ['editor', true],
      ['viewer', false],
      // A token value grants writes: a read-only PAT does not see it (issue 10).
      ['patReadOnly', false],
      ['patFull', true],
    ] as const) {
      const response = await ctx.h.inject({
        method: 'GET',
        url: `/workspaces/${ws}/streaming-tokens`,
        headers: ctx.callers[caller].headers,
      });
      const body = response.json();
      assert.equal('value' in body.token1, visible, caller);
      assert.equal('value' in body.token2, visible, caller);
      assert.equal(body.canViewValues, visible, caller);
    }
  });

  it("takes a demotion into account on the user's very next request, PATs included", async () => {
    const user = await ctx.h.userWithRole('Editor');
    const patToken = await ctx.h.createPat(user, {
      name: 'demote-me',
      expiresAt: new Date(Date.now() + day).toISOString(),
    });
    const topics = () =>
      ctx.h.inject({
        method: 'POST',
        url: `/${ws}/topics`,
        headers: bearer(patToken),
        payload: { name: 'x' },
      });
    assert.equal((await topics()).statusCode, 503, 'an Editor passes authorisation');
    const admin = await ctx.h.admin();
    await ctx.h.inject({
      method: 'PATCH',
      url: `/users/${user.userId}`,
      headers: admin.headers,
      payload: { role: 'Viewer' },
    });
    assert.equal((await topics()).statusCode, 403, 'a Viewer does not');
  });
});
