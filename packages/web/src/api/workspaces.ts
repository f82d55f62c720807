import { useQuery } from '@tanstack/react-query';
import { getJson } from './client.ts';
import type { Workspace } from './types.ts';

export const workspacesKey = ['workspaces'] as const;

export function useWorkspaces() {
  return useQuery({ queryKey: workspacesKey, queryFn: () => getJson<Workspace[]>('/workspaces') });
}
