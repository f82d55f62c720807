import type { RotationPlan, RotationRun, StartRotationRequest } from '@streamgate/contract';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, request, send } from './client.ts';
import { deploymentsKey } from './deployments.ts';
import { streamingTokensKey, streamingTokenValuesKey } from './streaming-tokens.ts';

/** The plan with the ETag of the pair it was made for, which starting a run sends as If-Match. */
export type RotationPlanWithEtag = { plan: RotationPlan; etag: string | null };

export const rotationPlanKey = (ws: string) => ['rotation-plan', ws] as const;
export const rotationRunKey = (ws: string, id: string) => ['rotation-run', ws, id] as const;

function path(ws: string): string {
  return `/workspaces/${encodeURIComponent(ws)}/streaming-tokens`;
}

/**
 * The portal's verdict on Token 1 (in use or not, by which deployments and outside clients),
 * the recommended way to rotate, and a run in progress if there is one.
 */
export function useRotationPlan(ws: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: rotationPlanKey(ws),
    queryFn: async ({ signal }): Promise<RotationPlanWithEtag> => {
      const res = await request<RotationPlan>('GET', `${path(ws)}/rotation-plan`, { signal });
      return { plan: res.data, etag: res.headers.get('etag') };
    },
    enabled: opts.enabled ?? true,
    staleTime: 5_000,
  });
}

/** A run has changed the pair and moved deployments: everything that shows them is stale. */
export function invalidateAfterRotation(queryClient: QueryClient, ws: string): void {
  for (const queryKey of [
    streamingTokensKey(ws),
    streamingTokenValuesKey(ws),
    rotationPlanKey(ws),
    deploymentsKey(ws),
  ]) {
    void queryClient.invalidateQueries({ queryKey });
  }
}

export function useStartRotation(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ etag, start }: { etag: string; start: StartRotationRequest }) =>
      send<RotationRun>('POST', `${path(ws)}/rotations`, { body: start, headers: { 'If-Match': etag } }),
    onSuccess: (run) => {
      queryClient.setQueryData(rotationRunKey(ws, run.rotationId), run);
      void queryClient.invalidateQueries({ queryKey: rotationPlanKey(ws) });
    },
  });
}

/** A run, read every second until it ends. */
export function useRotationRun(ws: string, id: string | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: rotationRunKey(ws, id ?? ''),
    queryFn: async ({ signal }) => {
      const run = await getJson<RotationRun>(`${path(ws)}/rotations/${encodeURIComponent(id ?? '')}`, {
        signal,
      });
      if (run.status !== 'running') invalidateAfterRotation(queryClient, ws);
      return run;
    },
    enabled: id !== null,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === 'running' || !query.state.data ? 1000 : false),
    refetchIntervalInBackground: true,
  });
}

export function useRotationRunCommand(ws: string, id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (command: 'cancel' | 'force') =>
      send<RotationRun>('POST', `${path(ws)}/rotations/${encodeURIComponent(id)}/${command}`),
    onSuccess: (run) => queryClient.setQueryData(rotationRunKey(ws, id), run),
  });
}
