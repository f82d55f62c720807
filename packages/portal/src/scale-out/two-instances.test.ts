import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dropDatabase } from '../../test-support/drop-database.ts';
import {
  bearer,
  login,
  pairOf,
  readPair,
  rotate,
  type SessionHeaders,
  send,
} from '../../test-support/portal-client.ts';
import { type PortalProcess, startPortalProcess } from '../../test-support/portal-process.ts';
import { type PostgresCluster, startPostgres } from '../../test-support/postgres-cluster.ts';

/**
 * Two real portal processes on one PostgreSQL database behave as one portal: whatever one
 * instance changes (a rotation, a revocation, a logout) the other enforces on its very next
 * request, because neither keeps credential state of its own.
 */
describe('two portal instances on one PostgreSQL database', () => {
  let cluster: PostgresCluster | undefined;
  let databaseUrl: string | undefined;
  const instances: PortalProcess[] = [];
  let a: PortalProcess;
  let b: PortalProcess;
  let session: SessionHeaders;
  const ws = 'dev';

  before(async () => {
    cluster = await startPostgres();
    databaseUrl = await cluster.createDatabase();
    const env = {
      STREAMGATE_DATABASE_URL: databaseUrl,
      STREAMGATE_SECRET_KEY: randomBytes(32).toString('base64'),
      STREAMGATE_ADMIN_EMAIL: 'admin@example.test',
      STREAMGATE_ADMIN_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
    };
    // Started together, as replicas are: both migrate and bootstrap the same empty database.
    const started = await Promise.allSettled([startPortalProcess({ env }), startPortalProcess({ env })]);
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    [a, b] = instances as [PortalProcess, PortalProcess];
    session = await login(a.url, env.STREAMGATE_ADMIN_EMAIL, env.STREAMGATE_ADMIN_PASSWORD);
  });

  after(async () => {
    await Promise.allSettled(instances.map((instance) => instance.stop()));
    if (cluster && databaseUrl) await dropDatabase(cluster.url, databaseUrl).catch(() => {});
    await cluster?.stop();
  });

  const workspaceWith = (baseUrl: string, token: string) =>
    send(baseUrl, 'GET', `/workspaces/${ws}`, { headers: bearer(token) });

  it('shares sessions: a cookie from A reads the same token values on B', async () => {
    const onA = await readPair(a.url, session, ws);
    const onB = await readPair(b.url, session, ws);
    assert.deepEqual(onB, onA);
    const me = await send(b.url, 'GET', '/auth/me', { headers: { ...session } });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, 'admin@example.test');
  });

  it('a rotation through A is enforced by B on its very next request', async () => {
    const before = await readPair(a.url, session, ws);
    // B has just accepted the old Token 1, so anything it might remember would say "valid".
    for (let i = 0; i < 3; i++) assert.equal((await workspaceWith(b.url, before.token1.value)).status, 200);

    const rotated = await rotate(a.url, session, ws, before.etag);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const after = pairOf(rotated);
    assert.equal(after.token1.id, before.token2.id, 'Token 2 is promoted to Token 1');
    assert.equal(after.token1.value, before.token2.value);
    assert.notEqual(after.token2.id, before.token2.id, 'a new Token 2');

    const refused = await workspaceWith(b.url, before.token1.value);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'PORTAL_TOKEN_REVOKED');
    assert.equal((await workspaceWith(b.url, after.token1.value)).status, 200, 'promoted token on B');
    assert.equal((await workspaceWith(b.url, after.token2.value)).status, 200, 'new Token 2 on B');
    assert.deepEqual(await readPair(b.url, session, ws), after, 'B shows the pair A created');
    // The rotation was audited once, whichever instance is asked.
    const audit = await send(b.url, 'GET', `/audit?action=streaming_tokens.rotate&workspaceId=${ws}`, {
      headers: { ...session },
    });
    assert.equal(audit.status, 200);
    assert.equal(
      audit.body.entries.filter((entry: { target: string }) => entry.target === before.token1.id).length,
      1,
    );
  });

  it('a PAT created on A works on B, and its revocation on A is enforced by B at once', async () => {
    const created = await send(a.url, 'POST', '/profile/tokens', {
      headers: { ...session },
      json: { name: 'scale-out', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const pat = created.body.token as string;
    for (let i = 0; i < 3; i++) {
      const used = await workspaceWith(b.url, pat);
      assert.equal(used.status, 200, JSON.stringify(used.body));
      assert.equal(used.body.role, 'Admin');
    }

    const revoked = await send(a.url, 'DELETE', `/profile/tokens/${created.body.id}`, {
      headers: { ...session },
    });
    assert.equal(revoked.status, 204);
    const refused = await workspaceWith(b.url, pat);
    assert.equal(refused.status, 401);
    assert.equal(refused.body.code, 'PORTAL_TOKEN_REVOKED');
    assert.equal((await workspaceWith(a.url, pat)).status, 401);
  });

  it('concurrent rotations with one If-Match, half to A and half to B: exactly one wins', async () => {
    for (let round = 0; round < 5; round++) {
      const start = await readPair(a.url, session, ws);
      const replies = await Promise.all(
        Array.from({ length: 8 }, (_, i) => rotate(i % 2 === 0 ? a.url : b.url, session, ws, start.etag)),
      );
      const statuses = replies.map((reply) => reply.status).sort();
      assert.deepEqual(statuses, [200, 409, 409, 409, 409, 409, 409, 409], `round ${round}`);
      for (const reply of replies.filter((r) => r.status === 409)) {
        assert.equal(reply.body.code, 'PORTAL_CONFLICT');
      }
      const winner = pairOf(replies.find((reply) => reply.status === 200)!);
      assert.equal(winner.token1.id, start.token2.id, `round ${round}: one step, not two`);
      assert.deepEqual(await readPair(a.url, session, ws), winner);
      assert.deepEqual(await readPair(b.url, session, ws), winner);
      assert.equal((await workspaceWith(a.url, start.token1.value)).status, 401);
      assert.equal((await workspaceWith(b.url, winner.token2.value)).status, 200);
    }
  });

  it('a logout on A ends the session on B', async () => {
    const other = await login(b.url, b.adminEmail, b.adminPassword);
    assert.equal((await send(a.url, 'GET', '/auth/me', { headers: { ...other } })).status, 200);
    const out = await send(a.url, 'POST', '/auth/logout', { headers: { ...other } });
    assert.equal(out.status, 204);
    const refused = await send(b.url, 'GET', '/auth/me', { headers: { ...other } });
    assert.equal(refused.status, 401);
  });
});
