import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, bodyErrors, dateTime, errorBody, pathErrors, workspaceIdParam } from './http.ts';
import { roleSchema, roles } from './roles.ts';

export const workspaceBody = {
  type: 'object',
  additionalProperties: false,
  required: [
    'workspaceId',
    'name',
    'status',
    'createdAt',
    'brokerType',
    'broker',
    'brokerSettings',
    'version',
  ],
  properties: {
    workspaceId: { type: 'string' },
    name: { type: 'string' },
    status: { type: 'string', enum: ['Ready'] },
    createdAt: dateTime,
    role: { ...roleSchema, description: "The caller's effective role (humans only)." },
    brokerType: { type: 'string' },
    broker: {
      type: 'object',
      additionalProperties: false,
      required: ['address', 'securityMode', 'saslMechanism', 'hasCertificate'],
      properties: {
        address: { type: 'string' },
        securityMode: { type: 'string', enum: ['Sasl', 'SaslSsl'] },
        saslMechanism: {
          type: 'string',
          enum: ['OAuthBearer', 'Plain'],
          description:
            "Plain (with username and password) only for a streaming-token caller, when the portal's PLAIN path is on.",
        },
        username: {
          type: 'string',
          description: "Plain only: the caller's broker principal (sgt-<tokenId>).",
        },
        password: { type: 'string', description: "Plain only: the caller's own streaming token." },
        hasCertificate: { type: 'boolean' },
      },
    },
    brokerSettings: {
      type: 'object',
      additionalProperties: false,
      required: ['brokerType', 'syncTopics'],
      properties: { brokerType: { type: 'string' }, syncTopics: { type: 'boolean' } },
    },
    version: { type: 'integer' },
  },
} as const;

export const listWorkspacesSchema = {
  tags: ['workspaces'],
  summary: 'Workspaces the caller may see (a streaming token sees exactly its own).',
  response: { 200: { type: 'array', items: workspaceBody }, ...authErrors },
} as const;

export const createWorkspaceSchema = {
  tags: ['workspaces'],
  summary: 'Create a workspace with its two streaming tokens (organisation Admin).',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['workspaceId', 'name'],
    properties: {
      workspaceId: { type: 'string', minLength: 1, maxLength: 64 },
      name: { type: 'string', minLength: 1, maxLength: 100 },
    },
  },
  response: { 201: workspaceBody, ...authErrors, 409: errorBody, ...bodyErrors },
} as const;

export const getWorkspaceSchema = {
  tags: ['workspaces'],
  summary: 'One workspace.',
  params: workspaceIdParam,
  response: { 200: workspaceBody, ...authErrors, ...pathErrors },
} as const;

const purgeStep = {
  type: 'object',
  additionalProperties: false,
  required: ['done', 'remaining', 'detail'],
  properties: {
    done: { type: 'boolean' },
    remaining: { type: ['integer', 'null'] },
    detail: { type: 'string' },
  },
} as const;

export const deleteWorkspaceSchema = {
  tags: ['workspaces'],
  summary:
    'Delete a workspace, its tokens, deployments and topics (Admin). The answer reports each step of removing its Kafka data; what is not done yet is retried until it is, and the id stays reserved until then.',
  params: workspaceIdParam,
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['workspaceId', 'kafkaData'],
      properties: {
        workspaceId: { type: 'string' },
        kafkaData: {
          type: 'object',
          additionalProperties: false,
          required: ['complete', 'steps'],
          properties: {
            complete: { type: 'boolean' },
            steps: {
              type: 'object',
              additionalProperties: false,
              required: ['topics', 'consumerGroups', 'transactionalIds'],
              properties: { topics: purgeStep, consumerGroups: purgeStep, transactionalIds: purgeStep },
            },
          },
        },
      },
    },
    ...authErrors,
    ...pathErrors,
  },
} as const;

const memberBody = {
  type: 'object',
  additionalProperties: false,
  required: ['userId', 'email', 'name', 'organisationRole', 'workspaceRole', 'effectiveRole'],
  properties: {
    userId: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    organisationRole: roleSchema,
    workspaceRole: { type: ['string', 'null'], enum: [...roles, null] },
    effectiveRole: roleSchema,
  },
} as const;

const memberParams = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId', 'userId'],
  properties: {
    workspaceId: { type: 'string', minLength: 1, maxLength: 128 },
    userId: { type: 'string', minLength: 1, maxLength: 128 },
  },
} as const;

export const listMembersSchema = {
  tags: ['members'],
  summary:
    "Every user's role in this workspace: the override, the inherited organisation role, the effective one (Admin, Manager).",
  params: workspaceIdParam,
  response: { 200: { type: 'array', items: memberBody }, ...authErrors, ...pathErrors },
} as const;

export const setMemberSchema = {
  tags: ['members'],
  summary: "Set a user's role in this workspace, replacing the inherited one (Admin).",
  params: memberParams,
  body: { type: 'object', additionalProperties: false, required: ['role'], properties: { role: roleSchema } },
  response: { 200: memberBody, ...authErrors, ...pathErrors, ...bodyErrors },
} as const;

export const resetMemberSchema = {
  tags: ['members'],
  summary: 'Remove the override: the user is back on the inherited organisation role (Admin).',
  params: memberParams,
  response: { 200: memberBody, ...authErrors, ...pathErrors },
} as const;

export type Workspace = FromSchema<typeof workspaceBody>;
export type CreateWorkspaceRequest = FromSchema<typeof createWorkspaceSchema.body>;
export type WorkspaceDeletion = FromSchema<(typeof deleteWorkspaceSchema.response)[200]>;
export type Member = FromSchema<typeof memberBody>;
export type SetMemberRequest = FromSchema<typeof setMemberSchema.body>;
