import type { CreateTopicRequest, Topic } from '@streamgate/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, send } from './client.ts';

export const topicsKey = (ws: string) => ['topics', ws] as const;

// Topic routes sit under /{ws}/topics (the shape Quix clients use), not under /workspaces.
function path(ws: string): string {
  return `/${encodeURIComponent(ws)}/topics`;
}

export function useTopics(ws: string) {
  return useQuery({
    queryKey: topicsKey(ws),
    queryFn: ({ signal }) => getJson<Topic[]>(path(ws), { signal }),
    // A topic being created or deleted changes status on its own; keep an eye on it.
    refetchInterval: (query) =>
      query.state.data?.some((t) => t.status === 'Creating' || t.status === 'Deleting') ? 2000 : false,
  });
}

export function useCreateTopic(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (topic: CreateTopicRequest) => send<Topic>('POST', path(ws), { body: topic }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: topicsKey(ws) }),
  });
}

export function useDeleteTopic(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => send<void>('DELETE', `${path(ws)}/${encodeURIComponent(name)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: topicsKey(ws) }),
  });
}
