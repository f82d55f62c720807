import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { createPostgresStore } from '../src/storage/postgres/postgres-store.ts';
import { createSqliteStore } from '../src/storage/sqlite/sqlite-store.ts';
import type { Store } from '../src/storage/storage.ts';
import { dropDatabase } from './drop-database.ts';
import { type PostgresCluster, startPostgres } from './postgres-cluster.ts';

export interface TokenRow {
  id: string;
  slot: number | null;
  deactivated: boolean;
}

/** Where a crashing portal keeps its state, and how a test reads that state behind its back. */
export interface CrashEngine {
  name: 'sqlite' | 'postgres';
  /** Environment for every start of the portal process (same database each time). */
  env: Record<string, string>;
  /** The data dir kept across restarts. */
  dataDir: string;
  /** The portal's own store on its own database: only while no portal process runs. */
  openStore(): Store;
  /** Every streaming-token row of a workspace, active or not, straight from SQL. */
  tokenRows(workspaceId: string): Promise<TokenRow[]>;
  dispose(): Promise<void>;
}

const adminEnv = () => ({
  STREAMGATE_ADMIN_EMAIL: 'admin@example.test',
  STREAMGATE_ADMIN_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
});

/** The default deployment: SQLite in the data dir, the secret key generated next to it. */
export function sqliteEngine(): CrashEngine {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-crash-sqlite-'));
  const path = join(dataDir, 'portal.db');
  return {
    name: 'sqlite',
    env: adminEnv(),
    dataDir,
    openStore: () => createSqliteStore(path),
    async tokenRows(workspaceId) {
      const db = new DatabaseSync(path);
      try {
        return db
          .prepare('SELECT id, slot, deactivated_at FROM streaming_tokens WHERE workspace_id = ?')
          .all(workspaceId)
          .map((row) => ({
            id: String(row.id),
            slot: row.slot === null ? null : Number(row.slot),
            deactivated: row.deactivated_at !== null,
          }));
      } finally {
        db.close();
      }
    },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresEngine(): Promise<CrashEngine> {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-crash-pg-'));
  let cluster: PostgresCluster | undefined;
  let url: string;
  try {
    cluster = await startPostgres();
    url = await cluster.createDatabase();
  } catch (error) {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const running = cluster;
  return {
    name: 'postgres',
    env: {
      ...adminEnv(),
      STREAMGATE_DATABASE_URL: url,
      STREAMGATE_SECRET_KEY: randomBytes(32).toString('base64'),
    },
    dataDir,
    openStore: () => createPostgresStore(url, { poolSize: 2 }),
    async tokenRows(workspaceId) {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query(
          'SELECT id, slot, deactivated_at FROM streaming_tokens WHERE workspace_id = $1',
          [workspaceId],
        );
        return rows.map((row) => ({
          id: String(row.id),
          slot: row.slot === null ? null : Number(row.slot),
          deactivated: row.deactivated_at !== null,
        }));
      } finally {
        await client.end();
      }
    },
    async dispose() {
      await dropDatabase(running.url, url).catch(() => {});
      await running.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
