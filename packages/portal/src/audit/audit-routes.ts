import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import { authErrors, dateTime } from '../http/schemas.ts';
import type { AuditRecord } from '../storage/storage.ts';
import { auditActions } from './audit-log.ts';
import type { AuditFilter, AuditReader } from './audit-reader.ts';

const auditSchema = {
  tags: ['audit'],
  summary:
    'Who did what and when, newest first (Admins). Page with `before` = the previous answer’s `nextBefore`.',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      workspaceId: { type: 'string', maxLength: 64 },
      actor: { type: 'string', maxLength: 254 },
      action: { type: 'string', enum: [...auditActions] },
      before: { type: 'string', maxLength: 64 },
      limit: { type: 'string', pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: '1 to 200' },
    },
  },
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['entries', 'nextBefore'],
      properties: {
        nextBefore: { type: ['string', 'null'] },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['id', 'at', 'actor', 'action', 'workspaceId', 'target', 'details', 'address'],
            properties: {
              id: { type: 'string' },
              at: dateTime,
              actor: {
                type: 'object',
                additionalProperties: false,
                required: ['kind', 'id', 'label'],
                properties: {
                  kind: { type: 'string' },
                  id: { type: ['string', 'null'] },
                  label: { type: 'string' },
                },
              },
              action: { type: 'string' },
              workspaceId: { type: ['string', 'null'] },
              target: { type: ['string', 'null'] },
              details: { type: 'object', additionalProperties: true },
              address: { type: ['string', 'null'] },
            },
          },
        },
      },
    },
    ...authErrors,
  },
} as const;

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
