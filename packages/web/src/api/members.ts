import type { Member, Role, SetMemberRequest } from '@streamgate/contract';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getJson, send } from './client.ts';

export const membersKey = (ws: string) => ['members', ws] as const;

function path(ws: string): string {
  return `/workspaces/${encodeURIComponent(ws)}/members`;
}

export function useMembers(ws: string) {
  return useQuery({ queryKey: membersKey(ws), queryFn: () => getJson<Member[]>(path(ws)) });
}

export function useSetMemberRole(ws: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role | null }) =>
      role === null
        ? send<Member>('DELETE', `${path(ws)}/${encodeURIComponent(userId)}`)
        : send<Member>('PUT', `${path(ws)}/${encodeURIComponent(userId)}`, {
            body: { role } satisfies SetMemberRequest,
          }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: membersKey(ws) }),
  });
}
