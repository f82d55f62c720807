import { Pool } from 'pg';
import type { Store } from '../storage.ts';
import { auditStorage } from './audit-storage.ts';
import { deploymentStorage } from './deployment-storage.ts';
import { migrate } from './migrate.ts';
import { patStorage } from './pat-storage.ts';
import { rotationRunStorage } from './rotation-run-storage.ts';
import { sessionStorage } from './session-storage.ts';
import { signingKeyStorage } from './signing-key-storage.ts';
import { tokenStorage } from './token-storage.ts';
import { tokenUsageStorage } from './token-usage-storage.ts';
import { topicStorage } from './topic-storage.ts';
import { userStorage } from './user-storage.ts';
import { workspaceRoleStorage } from './workspace-role-storage.ts';
import { workspaceStorage } from './workspace-storage.ts';

export interface PostgresStoreOptions {
  /** Connections this process keeps open at most; default 10. */
  poolSize?: number;
}

/**
 * The scale-out store: every portal instance opens its own pool on the same database. Each
 * method is one statement or one transaction, so instances need nothing from each other.
 */
export function createPostgresStore(connectionString: string, options: PostgresStoreOptions = {}): Store {
  const poolSize = options.poolSize ?? 10;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new TypeError(`poolSize must be a positive integer, got ${poolSize}`);
  }
  const pool = new Pool({ connectionString, max: poolSize });
  // An idle connection that breaks (server restart, network) is an 'error' event on the pool,
  // which would crash the process without a listener. pg has already dropped that client and
  // the next query opens a fresh one; queries in flight still reject to their caller.
  pool.on('error', () => {});

  return {
    engine: 'postgres',
    migrate: () => migrate(pool),
    async close() {
      await pool.end();
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    ...userStorage(pool),
    ...sessionStorage(pool),
    ...patStorage(pool),
    ...workspaceStorage(pool),
    ...workspaceRoleStorage(pool),
    ...tokenStorage(pool),
    ...tokenUsageStorage(pool),
    ...signingKeyStorage(pool),
    ...auditStorage(pool),
    ...topicStorage(pool),
    ...deploymentStorage(pool),
    ...rotationRunStorage(pool),
  };
}
