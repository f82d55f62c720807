import type { Store } from '../storage.ts';
import { auditStorage } from './audit-storage.ts';
import { openSqlite } from './connection.ts';
import { deploymentStorage } from './deployment-storage.ts';
import { migrate } from './migrate.ts';
import { patStorage } from './pat-storage.ts';
import { createReadCache } from './read-cache.ts';
import { rotationRunStorage } from './rotation-run-storage.ts';
import { sessionStorage } from './session-storage.ts';
import { signingKeyStorage } from './signing-key-storage.ts';
import { tokenStorage } from './token-storage.ts';
import { tokenUsageStorage } from './token-usage-storage.ts';
import { topicStorage } from './topic-storage.ts';
import { userStorage } from './user-storage.ts';
import { workspaceRoleStorage } from './workspace-role-storage.ts';
import { workspaceStorage } from './workspace-storage.ts';

/**
 * The embedded default: one file, owned by one portal process (connection.ts holds SQLite's
 * exclusive lock from opening to closing). node:sqlite is synchronous, so every method body,
 * transactions included, runs without yielding to other requests.
 */
export function createSqliteStore(path: string): Store {
  const db = openSqlite(path);
  const cache = createReadCache();
  return {
    engine: 'sqlite',
    async migrate() {
      migrate(db);
    },
    async close() {
      cache.clear();
      db.close();
    },
    async ping() {
      db.get('SELECT 1');
    },
    ...userStorage(db),
    ...sessionStorage(db),
    ...patStorage(db),
    ...workspaceStorage(db, cache),
    ...workspaceRoleStorage(db),
    ...tokenStorage(db, cache),
    ...tokenUsageStorage(db),
    ...signingKeyStorage(db),
    ...auditStorage(db),
    ...topicStorage(db),
    ...deploymentStorage(db),
    ...rotationRunStorage(db),
  };
}
