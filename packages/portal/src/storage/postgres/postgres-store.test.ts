import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Client } from 'pg';
import { startPostgres } from '../../../test-support/postgres-cluster.ts';
import { rotationAudit } from '../../../test-support/rotation-audit.ts';
import { planRotation } from '../../tokens/rotation.ts';
import { runStorageContract } from '../storage.contract.ts';
import type { Store, StreamingTokenRecord } from '../storage.ts';
import { postgresMigrations } from './migrations.ts';
import { createPostgresStore } from './postgres-store.ts';

const cluster = await startPostgres();
after(() => cluster.stop());

runStorageContract('postgres', async () => createPostgresStore(await cluster.createDatabase()));

describe('postgres store shared by several portal instances', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  let serial = 0;
  const token = (workspaceId: string, slot: 1 | 2): StreamingTokenRecord => {
    const id = `tok-${serial++}`;
    return {
      id,
      workspaceId,
      slot,
      tokenHash: `hash-${id}`,
      sealedValue: `sealed-${id}`,
      createdAt: t0,
      deactivatedAt: null,
    };
  };
  const connect = async (url: string) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  };
  /** Resolves once another session of this database is blocked on a row lock. */
  const untilSomeoneWaitsForALock = async (observer: Client) => {
    for (let poll = 0; poll < 500; poll++) {
      const { rows } = await observer.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('nobody ever waited for the lock');
  };
  const instances = (count: number, url: string): Store[] => {
    const stores = Array.from({ length: count }, () => createPostgresStore(url, { poolSize: 4 }));
    after(() => Promise.all(stores.map((store) => store.close())));
    return stores;
  };

  it('migrates once when several instances start at the same time', async () => {
    const url = await cluster.createDatabase();
    const stores = instances(4, url);
    await Promise.all(stores.map((store) => store.migrate()));
    await Promise.all(stores.map((store) => store.migrate()));

    const client = await connect(url);
    try {
      const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      assert.deepEqual(
        rows.map((row) => row.version),
        postgresMigrations.map((migration) => migration.version),
      );
    } finally {
      await client.end();
    }
    for (const store of stores) assert.equal(await store.countUsers(), 0);
  });

  it('lets exactly one instance win a race to rotate the same pair, and all see its pair at once', async () => {
    const [a, b] = instances(2, await cluster.createDatabase());
    await Promise.all([a!.migrate(), b!.migrate()]);
    const workspaceId = 'acme-dev';
    const pair: [StreamingTokenRecord, StreamingTokenRecord] = [token(workspaceId, 1), token(workspaceId, 2)];
    assert.equal(
      await a!.createWorkspace({ workspace: { workspaceId, name: 'dev', createdAt: t0 }, tokens: pair }),
      true,
    );

    for (let round = 0; round < 5; round++) {
      const current = await b!.activeTokenPair(workspaceId);
      assert.ok(current);
      const candidates = Array.from({ length: 8 }, () => token(workspaceId, 2));
      const at = new Date(t0.getTime() + round + 1);
      const outcomes = await Promise.all(
        candidates.map((newToken2, i) =>
          (i % 2 === 0 ? a! : b!).rotateTokens({
            workspaceId,
            rotation: planRotation({ token1: current.token1, token2: current.token2 }, newToken2, at),
            audit: rotationAudit(workspaceId),
          }),
        ),
      );
      assert.equal(outcomes.filter((outcome) => outcome === 'rotated').length, 1, `round ${round}`);
      const winner = candidates[outcomes.indexOf('rotated')]!;

      for (const store of [a!, b!]) {
        const seen = await store.activeTokenPair(workspaceId);
        assert.equal(seen?.token1.id, current.token2.id);
        assert.equal(seen?.token2.id, winner.id);
        const retired = await store.findTokenByHash(current.token1.tokenHash);
        assert.equal(retired?.slot, null);
        assert.deepEqual(retired?.deactivatedAt, at);
      }
      const losers = candidates.filter((candidate) => candidate !== winner);
      for (const loser of losers) assert.equal(await a!.findTokenByHash(loser.tokenHash), null);
    }
    assert.equal((await a!.listActiveTokens()).length, 2);
  });

  it('reports stale to a rotation that had to wait for another instance rotating the same pair', async () => {
    const url = await cluster.createDatabase();
    const [store] = instances(1, url);
    await store!.migrate();
    const workspaceId = 'acme-wait';
    const [t1, t2, t3] = [token(workspaceId, 1), token(workspaceId, 2), token(workspaceId, 2)];
    await store!.createWorkspace({
      workspace: { workspaceId, name: 'wait', createdAt: t0 },
      tokens: [t1, t2],
    });

    // The other instance is half-way through the same rotation, holding its locks.
    const other = await connect(url);
    await other.query('BEGIN');
    await other.query(
      'SELECT id FROM streaming_tokens WHERE workspace_id = $1 AND slot IS NOT NULL FOR UPDATE',
      [workspaceId],
    );
    await other.query('UPDATE streaming_tokens SET slot = NULL, deactivated_at = 1 WHERE id = $1', [t1.id]);
    await other.query('UPDATE streaming_tokens SET slot = 1 WHERE id = $1', [t2.id]);
    await other.query(
      `INSERT INTO streaming_tokens (id, workspace_id, slot, token_hash, sealed_value, created_at)
       VALUES ($1, $2, 2, $3, $4, 0)`,
      [t3.id, workspaceId, t3.tokenHash, t3.sealedValue],
    );
    const rotation = store!.rotateTokens({
      workspaceId,
      rotation: planRotation({ token1: t1, token2: t2 }, token(workspaceId, 2), t0),
      audit: rotationAudit(workspaceId),
    });
    await untilSomeoneWaitsForALock(other);
    await other.query('COMMIT');
    await other.end();
    assert.equal(await rotation, 'stale');
    const pair = await store!.activeTokenPair(workspaceId);
    assert.deepEqual([pair?.token1.id, pair?.token2.id], [t2.id, t3.id]);
  });

  it('creates a workspace once when instances race for the same id', async () => {
    const stores = instances(2, await cluster.createDatabase());
    await Promise.all(stores.map((store) => store.migrate()));
    const workspaceId = 'acme-race';
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        stores[i % 2]!.createWorkspace({
          workspace: { workspaceId, name: `attempt-${i}`, createdAt: t0 },
          tokens: [token(workspaceId, 1), token(workspaceId, 2)],
        }),
      ),
    );
    assert.equal(results.filter(Boolean).length, 1);
    const winner = results.indexOf(true);
    assert.equal((await stores[1]!.findWorkspace(workspaceId))?.name, `attempt-${winner}`);
    assert.equal((await stores[0]!.listActiveTokens()).length, 2, 'the losers left no tokens behind');
  });

  it('records a batch naming a client twice, and skips usage of a token deleted meanwhile', async () => {
    const url = await cluster.createDatabase();
    const [a, b] = instances(2, url);
    await a!.migrate();
    const workspaceId = 'acme-usage';
    const pair: [StreamingTokenRecord, StreamingTokenRecord] = [token(workspaceId, 1), token(workspaceId, 2)];
    await a!.createWorkspace({ workspace: { workspaceId, name: 'usage', createdAt: t0 }, tokens: pair });
    const use = (clientKey: string, time: number, userAgent: string) => ({
      tokenId: pair[0].id,
      clientKey,
      userAgent,
      address: '127.0.0.1',
      deploymentId: null,
      lastUsedAt: new Date(time),
    });
    await a!.recordTokenUsage([use('x', 5000, 'first'), use('x', 4000, 'second'), use('y', 1000, 'third')]);
    assert.deepEqual(
      (await b!.tokenUsage([pair[0].id])).map((u) => [u.clientKey, u.lastUsedAt.getTime(), u.userAgent]),
      [
        ['x', 5000, 'second'],
        ['y', 1000, 'third'],
      ],
    );

    // Another instance deletes the workspace; its transaction is still open when ours arrives.
    const other = await connect(url);
    await other.query('BEGIN');
    await other.query('DELETE FROM workspaces WHERE workspace_id = $1', [workspaceId]);
    const recording = a!.recordTokenUsage([use('z', 7000, 'late')]);
    await untilSomeoneWaitsForALock(other);
    await other.query('COMMIT');
    await recording; // the token is gone: nothing to record, and no foreign-key error
    await other.end();
    assert.deepEqual(await b!.tokenUsage([pair[0].id]), []);
  });
});
