import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';
import type { StreamingTokens, StreamingTokensWithEtag } from './types.ts';

export const streamingTokensKey = (ws: string) => ['streaming-tokens', ws] as const;

function path(ws: string): string {
  return `/workspaces/${encodeURIComponent(ws)}/streaming-tokens`;
}

export function useStreamingTokens(ws: string) {
  return useQuery({
    queryKey: streamingTokensKey(ws),
    queryFn: async ({ signal }): Promise<StreamingTokensWithEtag> => {
      const res = await request<StreamingTokens>('GET', path(ws), { signal });
      return { tokens: res.data, etag: res.headers.get('etag') };
    },
    // Every response that carries token values is audited: do not refetch behind the user's back.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}

export function useRotateStreamingTokens(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string): Promise<StreamingTokensWithEtag> => {
      const res = await request<StreamingTokens>('POST', `${path(ws)}/rotate`, {
        headers: { 'If-Match': etag },
      });
      return { tokens: res.data, etag: res.headers.get('etag') };
    },
    onSuccess: (data) => {
      queryClient.setQueryData(streamingTokensKey(ws), data);
    },
  });
}
