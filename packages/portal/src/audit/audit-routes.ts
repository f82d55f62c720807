import { auditSchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { AuditRecord } from '../storage/storage.ts';
import type { AuditFilter, AuditReader } from './audit-reader.ts';

const entryJson = (entry: AuditRecord) => ({
  id: entry.id,
  at: entry.at,
  actor: { kind: entry.actorKind, id: entry.actorId, label: entry.actorLabel },
  action: entry.action,
  workspaceId: entry.workspaceId,
  target: entry.target,
  details: entry.details,
  address: entry.address,
});

export function registerAuditRoutes(app: FastifyInstance, deps: { auditReader: AuditReader }): void {
  app.get<{ Querystring: Omit<AuditFilter, 'limit'> & { limit?: string } }>(
    '/audit',
    { schema: auditSchema },
    async (request) => {
      const { limit, ...filter } = request.query;
      const { entries, nextBefore } = await deps.auditReader.read(principalOf(request), {
        ...filter,
        ...(limit !== undefined ? { limit: Number(limit) } : {}),
      });
      return { entries: entries.map(entryJson), nextBefore };
    },
  );
}
