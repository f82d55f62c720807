import { ForbiddenError } from '../errors.ts';
import { can } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';
import type { AuditRecord, AuditStorage, WorkspaceStorage } from '../storage/storage.ts';

export interface AuditFilter {
  workspaceId?: string;
  actor?: string;
  action?: string;
  before?: string;
  limit?: number;
}

/**
 * Admins read the audit log: an organisation Admin all of it, a workspace Admin the entries
 * of the workspaces it administers.
 */
export function createAuditReader(deps: { store: AuditStorage & WorkspaceStorage }) {
  return {
    async read(
      principal: Principal,
      filter: AuditFilter,
    ): Promise<{ entries: AuditRecord[]; nextBefore: string | null }> {
      const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
      let workspaceIds: string[] | null = null;
      // One workspace's log was authorized by the route; the whole log is what the caller administers.
      if (filter.workspaceId === undefined && !can(principal, 'organisationAudit.read').allowed) {
        const workspaces = await deps.store.listWorkspaces();
        workspaceIds = workspaces
          .map((w) => w.workspaceId)
          .filter((id) => can(principal, 'audit.read', id).allowed);
        if (workspaceIds.length === 0) throw new ForbiddenError('Only an Admin can read the audit log.');
      }
      const entries = await deps.store.queryAudit({ ...filter, workspaceIds, limit });
      return { entries, nextBefore: entries.length === limit ? entries[entries.length - 1]!.id : null };
    },
  };
}

export type AuditReader = ReturnType<typeof createAuditReader>;
