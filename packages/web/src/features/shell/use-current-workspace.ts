import { useParams } from 'react-router';
import type { Role, Workspace } from '../../api/types.ts';
import { useWorkspaces } from '../../api/workspaces.ts';

export type CurrentWorkspace = { ws: string; workspace: Workspace | undefined; role: Role | undefined };

/** The workspace in the address bar and, once loaded, what the caller may do in it. */
export function useCurrentWorkspace(): CurrentWorkspace {
  const { ws = '' } = useParams();
  const workspaces = useWorkspaces();
  const workspace = workspaces.data?.find((w) => w.workspaceId === ws);
  return { ws, workspace, role: workspace?.role };
}

export function roleAtLeast(role: Role | undefined, wanted: Role): boolean {
  const order: Role[] = ['None', 'Viewer', 'Editor', 'Manager', 'Admin'];
  return role !== undefined && order.indexOf(role) >= order.indexOf(wanted);
}
