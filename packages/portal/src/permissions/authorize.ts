import { ForbiddenError, NotFoundError } from '../errors.ts';
import { type Action, can } from './permissions.ts';
import type { Principal } from './principal.ts';

/**
 * The one check a workspace-scoped service makes: a caller who may not see the workspace learns
 * nothing of it (404), one who may see it but not do this gets the table's reason (403).
 */
export function authorizeInWorkspace(principal: Principal, action: Action, workspaceId: string): void {
  if (!can(principal, 'workspace.read', workspaceId).allowed) throw workspaceNotFound(workspaceId);
  const decision = can(principal, action, workspaceId);
  if (!decision.allowed) throw new ForbiddenError(decision.reason);
}

export function workspaceNotFound(workspaceId: string): NotFoundError {
  return new NotFoundError(`Workspace '${workspaceId}' does not exist or you have no access to it.`);
}
