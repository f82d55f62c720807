import type { RotatedStreamingTokens, StreamingTokens } from '@streamgate/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from './client.ts';

/** The pair together with the ETag that a rotation must send back as If-Match. */
export type StreamingTokensWithEtag = { tokens: StreamingTokens; etag: string | null };

export const streamingTokensKey = (ws: string) => ['streaming-tokens', ws] as const;

function path(ws: string): string {
  return `/workspaces/${encodeURIComponent(ws)}/streaming-tokens`;
}

/** The pair and its usage, without the values: reading it reveals nothing and is not audited. */
export function useStreamingTokens(ws: string) {
  return useQuery({
    queryKey: streamingTokensKey(ws),
    queryFn: async ({ signal }): Promise<StreamingTokensWithEtag> => {
      const res = await request<StreamingTokens>('GET', `${path(ws)}?values=false`, { signal });
      return { tokens: res.data, etag: res.headers.get('etag') };
    },
    staleTime: 15_000,
  });
}

/**
 * The values, fetched only when a person reveals or copies a token (or opens a page whose
 * purpose is to show one): the portal audits every response that carries them.
 */
export async function fetchStreamingTokenValues(ws: string): Promise<{ token1: string; token2: string }> {
  const res = await request<StreamingTokens>('GET', path(ws));
  const { token1, token2 } = res.data;
  if (token1.value === undefined || token2.value === undefined)
    throw new Error('Your role may not view token values.');
  return { token1: token1.value, token2: token2.value };
}

export const streamingTokenValuesKey = (ws: string) => ['streaming-token-values', ws] as const;

/** For a page that exists to show a value (Local development): fetched once when it opens. */
export function useStreamingTokenValues(ws: string, enabled: boolean) {
  return useQuery({
    queryKey: streamingTokenValuesKey(ws),
    queryFn: () => fetchStreamingTokenValues(ws),
    enabled,
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });
}

/** The new pair, and whether the broker already refuses the deactivated token. */
type RotatedWithEtag = StreamingTokensWithEtag & { brokerCutoff: RotatedStreamingTokens['brokerCutoff'] };

export function useRotateStreamingTokens(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (etag: string): Promise<RotatedWithEtag> => {
      const res = await request<RotatedStreamingTokens>('POST', `${path(ws)}/rotate`, {
        headers: { 'If-Match': etag },
      });
      const { brokerCutoff, ...tokens } = res.data;
      return { tokens, etag: res.headers.get('etag'), brokerCutoff };
    },
    onSuccess: ({ tokens, etag }) => {
      queryClient.setQueryData<StreamingTokensWithEtag>(streamingTokensKey(ws), { tokens, etag });
      void queryClient.invalidateQueries({ queryKey: streamingTokenValuesKey(ws) });
    },
  });
}
