import { useQuery } from '@tanstack/react-query';
import { fetchSession, sessionKey } from '../../api/auth.ts';

export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: fetchSession,
    staleTime: 5 * 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
