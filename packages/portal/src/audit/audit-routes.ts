import { auditSchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { AuditRecord } from '../storage/storage.ts';
import type { AuditReader } from './audit-reader.ts';

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

export function registerAuditRoutes(app: PortalApp, deps: { auditReader: AuditReader }): void {
  app.get(
    '/audit',
    {
      schema: auditSchema,
      // One workspace's log: its Admins. The whole log: the reader scopes it to what the caller
      // administers (all of it for an organisation Admin).
      config: { access: (request) => (hasWorkspace(request.query) ? 'audit.read' : 'authenticated') },
    },
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

function hasWorkspace(query: unknown): boolean {
  return typeof (query as { workspaceId?: unknown }).workspaceId === 'string';
}
