import type {
  CreateDeploymentRequest,
  Deployment,
  DeploymentAction,
  DeploymentStatus,
  UpdateDeploymentRequest,
} from '@streamgate/contract';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, send } from './client.ts';

export const deploymentsKey = (ws: string) => ['deployments', ws] as const;

export function deploymentsPath(ws: string): string {
  return `/workspaces/${encodeURIComponent(ws)}/deployments`;
}

function deploymentPath(ws: string, id: string): string {
  return `${deploymentsPath(ws)}/${encodeURIComponent(id)}`;
}

const SETTLED = new Set<DeploymentStatus>(['Running', 'Stopped', 'Completed']);

/**
 * The list changes on its own (a service starts, crashes, is restarted after a backoff): look
 * every second while something is on its way, and every five seconds otherwise.
 */
export function useDeployments(ws: string) {
  return useQuery({
    queryKey: deploymentsKey(ws),
    queryFn: ({ signal }) => getJson<Deployment[]>(deploymentsPath(ws), { signal }),
    refetchInterval: (query) =>
      query.state.data?.some(
        (d) => !SETTLED.has(d.status) || (d.status === 'Running' && d.replicasReady < d.replicas),
      )
        ? 1000
        : 5000,
  });
}

/** One deployment, from the list the page already holds, fetched on its own after a deep link. */
export function useDeployment(ws: string, id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: [...deploymentsKey(ws), id] as const,
    queryFn: ({ signal }) => getJson<Deployment>(deploymentPath(ws, id), { signal }),
    initialData: () =>
      queryClient.getQueryData<Deployment[]>(deploymentsKey(ws))?.find((d) => d.deploymentId === id),
    refetchInterval: 5000,
  });
}

/** Puts what the portal answered into the list at once, then reads the list again. */
function remember(queryClient: QueryClient, ws: string, deployment: Deployment): void {
  queryClient.setQueryData<Deployment[]>(deploymentsKey(ws), (list) => {
    if (!list) return list;
    const known = list.some((d) => d.deploymentId === deployment.deploymentId);
    return known
      ? list.map((d) => (d.deploymentId === deployment.deploymentId ? deployment : d))
      : [...list, deployment];
  });
  void queryClient.invalidateQueries({ queryKey: deploymentsKey(ws) });
}

export function useCreateDeployment(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deployment: CreateDeploymentRequest) =>
      send<Deployment>('POST', deploymentsPath(ws), { body: deployment }),
    onSuccess: (deployment) => remember(queryClient, ws, deployment),
  });
}

export function useUpdateDeployment(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateDeploymentRequest }) =>
      send<Deployment>('PUT', deploymentPath(ws, id), { body: changes }),
    onSuccess: (deployment) => remember(queryClient, ws, deployment),
  });
}

export function useDeleteDeployment(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send<void>('DELETE', deploymentPath(ws, id)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: deploymentsKey(ws) }),
  });
}

export function useDeploymentAction(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: DeploymentAction }) =>
      send<Deployment>('POST', `${deploymentPath(ws, id)}/${action}`),
    onSuccess: (deployment) => remember(queryClient, ws, deployment),
  });
}

export function deploymentLogsPath(ws: string, id: string): string {
  return `${deploymentPath(ws, id)}/logs`;
}
