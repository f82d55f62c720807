import type { CreateWorkspaceRequest, Workspace } from '@streamgate/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, send } from './client.ts';

export const workspacesKey = ['workspaces'] as const;

export function useWorkspaces() {
  return useQuery({ queryKey: workspacesKey, queryFn: () => getJson<Workspace[]>('/workspaces') });
}

export function useCreateWorkspace() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateWorkspaceRequest) => send<Workspace>('POST', '/workspaces', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workspacesKey }),
  });
}
