import type { FromSchema } from 'json-schema-to-ts';
import { authErrors, bodyErrors, dateTime, errorBody, noContent, noCredentials } from './http.ts';
import { roleSchema } from './roles.ts';

export const userBody = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'name', 'role', 'createdAt', 'disabled'],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: roleSchema,
    createdAt: dateTime,
    disabled: { type: 'boolean' },
  },
} as const;

const sessionBody = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'csrfToken'],
  properties: { user: userBody, csrfToken: { type: 'string' } },
} as const;

export const loginSchema = {
  tags: ['auth'],
  summary: 'Log in with email and password; sets the session cookie and returns the CSRF token.',
  security: noCredentials,
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: {
      email: { type: 'string', minLength: 1, maxLength: 254 },
      password: { type: 'string', minLength: 1, maxLength: 256 },
    },
  },
  response: { 200: sessionBody, 400: errorBody, 401: errorBody, 429: errorBody, ...bodyErrors },
} as const;

export const logoutSchema = {
  tags: ['auth'],
  summary: 'End the session.',
  response: { 204: noContent, ...authErrors },
} as const;

export const meSchema = {
  tags: ['auth'],
  summary: 'The logged-in user and the CSRF token for cookie-authenticated writes.',
  response: { 200: sessionBody, ...authErrors },
} as const;

export const tokenDetailsSchema = {
  tags: ['auth'],
  summary: 'What the presented credential is: its kind, owner or workspace, and expiry.',
  response: {
    200: {
      type: 'object',
      additionalProperties: false,
      required: ['kind'],
      properties: {
        kind: { type: 'string', enum: ['session', 'pat', 'streaming'] },
        userId: { type: 'string' },
        email: { type: 'string' },
        workspaceId: { type: 'string' },
        tokenId: { type: 'string' },
        expiresAt: dateTime,
        workspaces: { type: ['array', 'null'], items: { type: 'string' } },
        readOnly: { type: 'boolean' },
      },
    },
    ...authErrors,
  },
} as const;

export type User = FromSchema<typeof userBody>;
export type Session = FromSchema<typeof sessionBody>;
export type LoginRequest = FromSchema<typeof loginSchema.body>;
export type TokenDetails = FromSchema<(typeof tokenDetailsSchema.response)[200]>;
