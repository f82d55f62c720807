import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, bodyErrors, dateTime, noContent, nullableDateTime, pathErrors } from './http.ts';

const patProperties = {
  id: { type: 'string' },
  name: { type: 'string' },
  createdAt: dateTime,
  expiresAt: dateTime,
  lastUsedAt: nullableDateTime,
  workspaces: { type: ['array', 'null'], items: { type: 'string' } },
  readOnly: { type: 'boolean' },
  revokedAt: nullableDateTime,
} as const;
const patRequired = [
  'id',
  'name',
  'createdAt',
  'expiresAt',
  'lastUsedAt',
  'workspaces',
  'readOnly',
  'revokedAt',
] as const;

export const listPatsSchema = {
  tags: ['personal access tokens'],
  summary: "The caller's personal access tokens (never their values).",
  response: {
    200: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: patRequired,
        properties: patProperties,
      },
    },
    ...authErrors,
  },
} as const;

export const createPatSchema = {
  tags: ['personal access tokens'],
  summary: 'Create a personal access token; the answer holds the token this one time.',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['name', 'expiresAt'],
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      expiresAt: { type: 'string', format: 'date-time' },
      workspaces: {
        type: ['array', 'null'],
        items: { type: 'string', minLength: 1, maxLength: 64 },
        maxItems: 100,
      },
      readOnly: { type: 'boolean' },
    },
  },
  response: {
    201: {
      type: 'object',
      additionalProperties: false,
      required: [...patRequired, 'token'],
      properties: { ...patProperties, token: { type: 'string' } },
    },
    ...authErrors,
    ...bodyErrors,
  },
} as const;

export const revokePatSchema = {
  tags: ['personal access tokens'],
  summary: 'Revoke one of your personal access tokens, effective immediately.',
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['id'],
    properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
  },
  response: { 204: noContent, ...authErrors, ...pathErrors },
} as const;

export type PersonalAccessToken = FromSchema<(typeof listPatsSchema.response)[200]['items']>;
export type CreatePatRequest = FromSchema<typeof createPatSchema.body>;
export type CreatedPersonalAccessToken = FromSchema<(typeof createPatSchema.response)[201]>;
