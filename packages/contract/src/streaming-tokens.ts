import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, dateTime, errorBody, nullableDateTime, pathErrors, workspaceIdParam } from './http.ts';

const client = {
  userAgent: { type: 'string' },
  address: { type: 'string' },
  deploymentId: { type: ['string', 'null'] },
} as const;

const tokenBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'hint', 'createdAt', 'lastUsedAt', 'lastUsedBy', 'recentClients'],
  properties: {
    id: { type: 'string' },
    hint: { type: 'string', description: 'The last four characters of the token, to tell tokens apart.' },
    createdAt: dateTime,
    lastUsedAt: nullableDateTime,
    lastUsedBy: {
      anyOf: [
        {
          type: 'object',
          additionalProperties: false,
          required: ['userAgent', 'address', 'deploymentId'],
          properties: client,
        },
        { type: 'null' },
      ],
    },
    recentClients: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['userAgent', 'address', 'deploymentId', 'lastUsedAt'],
        properties: { ...client, lastUsedAt: dateTime },
      },
    },
    value: { type: 'string', description: 'Only for Admin, Manager and Editor; every view is audited.' },
  },
} as const;

const tokensBody = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId', 'token1', 'token2', 'canViewValues', 'canRotate'],
  properties: {
    workspaceId: { type: 'string' },
    token1: tokenBody,
    token2: tokenBody,
    canViewValues: { type: 'boolean' },
    canRotate: { type: 'boolean' },
  },
} as const;

export const getStreamingTokensSchema = {
  tags: ['streaming tokens'],
  summary:
    "The workspace's Token 1 and Token 2, with usage; the ETag names the pair. Values are included (and the view audited) for Admin, Manager and Editor, unless ?values=false.",
  params: workspaceIdParam,
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: {
      values: {
        type: 'string',
        enum: ['true', 'false'],
        description: 'false: usage only, no values, not audited',
      },
    },
  },
  response: { 200: tokensBody, ...authErrors, ...pathErrors },
} as const;

export const rotateStreamingTokensSchema = {
  tags: ['streaming tokens'],
  summary:
    'Rotate: Token 1 is deactivated, Token 2 takes its place, a new Token 2 is generated (Admin; If-Match required).',
  params: workspaceIdParam,
  headers: { type: 'object', properties: { 'if-match': { type: 'string', maxLength: 200 } } },
  response: {
    200: {
      ...tokensBody,
      required: [...tokensBody.required, 'brokerCutoff'],
      properties: {
        ...tokensBody.properties,
        brokerCutoff: {
          type: ['string', 'null'],
          enum: ['done', 'pending', null],
          description:
            'done: the broker already refuses the deactivated token (its ACLs are gone); pending: the broker did not answer in time, the portal keeps retrying within seconds; null: no broker configured',
        },
      },
    },
    ...authErrors,
    409: errorBody,
    428: errorBody,
    ...pathErrors,
  },
} as const;

export type StreamingToken = FromSchema<typeof tokenBody>;
export type StreamingTokens = FromSchema<typeof tokensBody>;
export type RotatedStreamingTokens = FromSchema<(typeof rotateStreamingTokensSchema.response)[200]>;
