import * as rows from '../rows.ts';
import type { WorkspaceRoleStorage } from '../storage.ts';
import type { SqliteAccess } from './connection.ts';

/** The roles users hold in workspaces. */
export function workspaceRoleStorage(db: SqliteAccess): WorkspaceRoleStorage {
  return {
    async workspaceRolesOf(userId) {
      return rows.roles(
        db.all('SELECT workspace_id, role FROM workspace_roles WHERE user_id = ?', userId),
        'workspace_id',
      );
    },
    async listWorkspaceRoles(workspaceId) {
      return rows.roles(
        db.all('SELECT user_id, role FROM workspace_roles WHERE workspace_id = ?', workspaceId),
        'user_id',
      );
    },
    async setWorkspaceRole(workspaceId, userId, role) {
      db.run(
        'INSERT INTO workspace_roles (workspace_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role',
        workspaceId,
        userId,
        role,
      );
    },
    async removeWorkspaceRole(workspaceId, userId) {
      const removed = db.run(
        'DELETE FROM workspace_roles WHERE workspace_id = ? AND user_id = ?',
        workspaceId,
        userId,
      );
      return removed > 0;
    },
  };
}
