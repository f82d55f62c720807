import type { CreatedPersonalAccessToken, CreatePatRequest, PersonalAccessToken } from '@streamgate/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, send } from './client.ts';

export const patsKey = ['profile-tokens'] as const;

export function usePats() {
  return useQuery({ queryKey: patsKey, queryFn: () => getJson<PersonalAccessToken[]>('/profile/tokens') });
}

export function useCreatePat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (pat: CreatePatRequest) =>
      send<CreatedPersonalAccessToken>('POST', '/profile/tokens', { body: pat }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: patsKey }),
  });
}

export function useRevokePat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => send<void>('DELETE', `/profile/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: patsKey }),
  });
}
