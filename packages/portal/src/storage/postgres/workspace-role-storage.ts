import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { WorkspaceRoleStorage } from '../storage.ts';
import { execute, query } from './query.ts';

/** The roles users hold in workspaces. */
export function workspaceRoleStorage(pool: Pool): WorkspaceRoleStorage {
  return {
    async workspaceRolesOf(userId) {
      const found = await query(pool, 'SELECT workspace_id, role FROM workspace_roles WHERE user_id = $1', [
        userId,
      ]);
      return rows.roles(found, 'workspace_id');
    },
    async listWorkspaceRoles(workspaceId) {
      const found = await query(pool, 'SELECT user_id, role FROM workspace_roles WHERE workspace_id = $1', [
        workspaceId,
      ]);
      return rows.roles(found, 'user_id');
    },
    async setWorkspaceRole(workspaceId, userId, role) {
      await execute(
        pool,
        `INSERT INTO workspace_roles (workspace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [workspaceId, userId, role],
      );
    },
    async removeWorkspaceRole(workspaceId, userId) {
      const removed = await execute(
        pool,
        'DELETE FROM workspace_roles WHERE workspace_id = $1 AND user_id = $2',
        [workspaceId, userId],
      );
      return removed > 0;
    },
  };
}
