import * as rows from '../rows.ts';
import type { WorkspacePurgeStorage, WorkspaceStorage } from '../storage.ts';
import { ms, type SqliteAccess } from './connection.ts';
import { cachedWorkspace, type ReadCache } from './read-cache.ts';
import { insertToken } from './token-storage.ts';

/** Workspaces, and the purges of deleted ones' Kafka data. */
export function workspaceStorage(
  db: SqliteAccess,
  cache: ReadCache,
): WorkspaceStorage & WorkspacePurgeStorage {
  return {
    async createWorkspace({ workspace, tokens }) {
      return db.transaction(() => {
        if (db.get('SELECT 1 FROM workspaces WHERE workspace_id = ?', workspace.workspaceId)) return false;
        db.run(
          'INSERT INTO workspaces (workspace_id, name, created_at) VALUES (?, ?, ?)',
          workspace.workspaceId,
          workspace.name,
          ms(workspace.createdAt),
        );
        for (const token of tokens) insertToken(db, token);
        return true;
      });
    },
    async findWorkspace(workspaceId) {
      return cachedWorkspace(db, cache, workspaceId);
    },
    async listWorkspaces() {
      return db.all('SELECT * FROM workspaces ORDER BY workspace_id').map(rows.workspace);
    },
    async deleteWorkspace(workspaceId, purge) {
      cache.forgetWorkspace(workspaceId);
      return db.transaction(() => {
        const deleted = db.run('DELETE FROM workspaces WHERE workspace_id = ?', workspaceId) > 0;
        if (deleted && purge) {
          db.run(
            'INSERT INTO workspace_purges (workspace_id, requested_at, report, updated_at) VALUES (?, ?, NULL, ?) ON CONFLICT (workspace_id) DO NOTHING',
            workspaceId,
            ms(purge.requestedAt),
            ms(purge.requestedAt),
          );
        }
        return deleted;
      });
    },

    async listWorkspacePurges() {
      return db.all('SELECT * FROM workspace_purges ORDER BY workspace_id').map(rows.workspacePurge);
    },
    async updateWorkspacePurge(workspaceId, report, updatedAt) {
      db.run(
        'UPDATE workspace_purges SET report = ?, updated_at = ? WHERE workspace_id = ?',
        report,
        ms(updatedAt),
        workspaceId,
      );
    },
    async finishWorkspacePurge(workspaceId) {
      db.run('DELETE FROM workspace_purges WHERE workspace_id = ?', workspaceId);
    },
  };
}
