import type { StreamingTokens } from '@streamgate/contract';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { fetchStreamingTokenValues, streamingTokensKey } from '../../api/streaming-tokens.ts';

/**
 * Loads the values of the pair on the page when the person first reveals or copies one, once
 * for both (each load is an audited view), and checks they belong to the pair shown: if
 * someone rotated meanwhile, the page refreshes instead of showing another pair's value.
 */
export function useTokenValueLoader(ws: string, tokens: StreamingTokens | undefined) {
  const queryClient = useQueryClient();
  return useMemo(() => {
    if (!tokens?.canViewValues) return null;
    let pending: Promise<{ token1: string; token2: string }> | null = null;
    const load = () => {
      pending ??= fetchStreamingTokenValues(ws).then(
        (values) => {
          if (!values.token1.endsWith(tokens.token1.hint) || !values.token2.endsWith(tokens.token2.hint)) {
            void queryClient.invalidateQueries({ queryKey: streamingTokensKey(ws) });
            throw new Error(
              'The tokens changed since this page loaded (someone rotated); it has been refreshed.',
            );
          }
          return values;
        },
        (error: unknown) => {
          pending = null;
          throw error;
        },
      );
      return pending;
    };
    return {
      token1: () => load().then((values) => values.token1),
      token2: () => load().then((values) => values.token2),
    };
  }, [ws, tokens, queryClient]);
}
