import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, dateTime } from './http.ts';

/** Everything the audit log records. */
export const auditActions = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'streaming_tokens.view',
  'streaming_tokens.rotate',
  'pat.create',
  'pat.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'user.password_change',
  'member.set',
  'member.remove',
  'workspace.create',
  'workspace.delete',
  'topic.create',
  'topic.delete',
  'signing_key.rotate',
  'deployment.create',
  'deployment.update',
  'deployment.delete',
  'deployment.start',
  'deployment.stop',
  'deployment.restart',
  'rotation_run.start',
  'rotation_run.step',
  'rotation_run.end',
  'rotation_run.cancel',
] as const;
export type AuditAction = (typeof auditActions)[number];

/** Who an audit entry's actor was: a person, a streaming token, someone unidentified, the portal. */
export const actorKinds = ['user', 'streaming', 'anonymous', 'system'] as const;
export type ActorKind = (typeof actorKinds)[number];

export const auditSchema = {
  tags: ['audit'],
  summary:
    'Who did what and when, newest first (Admins). Page with `before` = the previous answer’s `nextBefore`.',
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      workspaceId: { type: 'string', maxLength: 64 },
      actor: { type: 'string', maxLength: 254 },
      action: { type: 'string', enum: auditActions },
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
                  kind: { type: 'string', enum: actorKinds },
                  id: { type: ['string', 'null'] },
                  label: { type: 'string' },
                },
              },
              action: { type: 'string', enum: auditActions },
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

export type AuditQuery = FromSchema<typeof auditSchema.querystring>;
export type AuditPage = FromSchema<(typeof auditSchema.response)[200]>;
export type AuditEntry = AuditPage['entries'][number];
