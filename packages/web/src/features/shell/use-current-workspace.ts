import { type Role, roles, type Workspace } from '@streamgate/contract';
import { useParams } from 'react-router';
import { useWorkspaces } from '../../api/workspaces.ts';

export type CurrentWorkspace = { ws: string; workspace: Workspace | undefined; role: Role | undefined };

/** The workspace in the address bar and, once loaded, what the caller may do in it. */
export function useCurrentWorkspace(): CurrentWorkspace {
  const { ws = '' } = useParams();
  const workspaces = useWorkspaces();
  const workspace = workspaces.data?.find((w) => w.workspaceId === ws);
  return { ws, workspace, role: workspace?.role };
}

/** Whether `role` is `wanted` or stronger (`roles` lists the strongest first). */
export function roleAtLeast(role: Role | undefined, wanted: Role): boolean {
  return role !== undefined && roles.indexOf(role) <= roles.indexOf(wanted);
}
