import type { AuditPage, AuditQuery } from '@streamgate/contract';
import { useInfiniteQuery } from '@tanstack/react-query';
import { getJson } from './client.ts';

const PAGE_SIZE = 50;

/** What the audit page filters on; paging (`before`, `limit`) is this module's business. */
export type AuditFilter = Omit<AuditQuery, 'before' | 'limit'>;

export const auditKey = (filter: AuditFilter) => ['audit', filter] as const;

export function useAudit(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: auditKey(filter),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      getJson<AuditPage>('/audit', {
        query: { ...filter, limit: PAGE_SIZE, before: pageParam },
        signal,
      }),
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
}
