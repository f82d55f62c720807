import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { WorkspacePurgeStorage, WorkspaceStorage } from '../storage.ts';
import { execute, ms, prepared, query, queryOne } from './query.ts';
import { insertToken } from './token-storage.ts';
import { transaction } from './transaction.ts';

// Every request to a route that names a workspace reads it (the authorization gate).
const findById = prepared(
  'workspace_by_id',
  'SELECT workspace_id, name, created_at FROM workspaces WHERE workspace_id = $1',
);

/** Workspaces, and the purges of deleted ones' Kafka data. */
export function workspaceStorage(pool: Pool): WorkspaceStorage & WorkspacePurgeStorage {
  return {
    async createWorkspace({ workspace, tokens }) {
      return transaction(pool, async (client) => {
        // A concurrent creator of the same id waits here for our outcome instead of failing.
        const created = await execute(
          client,
          'INSERT INTO workspaces (workspace_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO NOTHING',
          [workspace.workspaceId, workspace.name, ms(workspace.createdAt)],
        );
        if (created === 0) return false;
        for (const token of tokens) await insertToken(client, token);
        return true;
      });
    },
    async findWorkspace(workspaceId) {
      const row = await queryOne(pool, findById, [workspaceId]);
      return row ? rows.workspace(row) : null;
    },
    async listWorkspaces() {
      return (await query(pool, 'SELECT * FROM workspaces ORDER BY workspace_id')).map(rows.workspace);
    },
    async deleteWorkspace(workspaceId, purge) {
      return transaction(pool, async (client) => {
        const deleted =
          (await execute(client, 'DELETE FROM workspaces WHERE workspace_id = $1', [workspaceId])) > 0;
        if (deleted && purge) {
          await execute(
            client,
            'INSERT INTO workspace_purges (workspace_id, requested_at, report, updated_at) VALUES ($1, $2, NULL, $2) ON CONFLICT (workspace_id) DO NOTHING',
            [workspaceId, ms(purge.requestedAt)],
          );
        }
        return deleted;
      });
    },

    async listWorkspacePurges() {
      return (await query(pool, 'SELECT * FROM workspace_purges ORDER BY workspace_id')).map(
        rows.workspacePurge,
      );
    },
    async updateWorkspacePurge(workspaceId, report, updatedAt) {
      await execute(
        pool,
        'UPDATE workspace_purges SET report = $1, updated_at = $2 WHERE workspace_id = $3',
        [report, ms(updatedAt), workspaceId],
      );
    },
    async finishWorkspacePurge(workspaceId) {
      await execute(pool, 'DELETE FROM workspace_purges WHERE workspace_id = $1', [workspaceId]);
    },
  };
}
