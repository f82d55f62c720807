import type { FromSchema } from 'json-schema-to-ts';
import { userBody } from './auth.ts';
import { authErrors, bodyErrors, errorBody, noContent, pathErrors } from './http.ts';
import { roleSchema } from './roles.ts';

export const userIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export const listUsersSchema = {
  tags: ['users'],
  summary: "The organisation's users (organisation Admin).",
  response: { 200: { type: 'array', items: userBody }, ...authErrors },
} as const;

export const createUserSchema = {
  tags: ['users'],
  summary: 'Create a user with an organisation-level role (default None) (organisation Admin).',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: {
      email: {
        type: 'string',
        minLength: 3,
        maxLength: 254,
        pattern: '^[^\\s@]+@[^\\s@]+$',
        description: 'Something@somewhere, no spaces.',
      },
      password: { type: 'string', minLength: 12, maxLength: 256 },
      name: { type: 'string', maxLength: 100 },
      role: roleSchema,
    },
  },
  response: { 201: userBody, ...authErrors, 409: errorBody, ...bodyErrors },
} as const;

export const updateUserSchema = {
  tags: ['users'],
  summary:
    "Change a user's name or organisation-level role, or disable / enable it (organisation Admin). Disabling ends the user's sessions and PATs at once. A demotion to None removes the user's workspace overrides unless keepWorkspaceRoles is true.",
  params: userIdParams,
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 100 },
      role: roleSchema,
      disabled: { type: 'boolean' },
      keepWorkspaceRoles: { type: 'boolean' },
    },
  },
  response: { 200: userBody, ...authErrors, 409: errorBody, ...pathErrors, ...bodyErrors },
} as const;

export const deleteUserSchema = {
  tags: ['users'],
  summary:
    'Delete a user with its sessions, PATs and workspace roles (organisation Admin; not yourself, not the last Admin).',
  params: userIdParams,
  response: { 204: noContent, ...authErrors, 409: errorBody, ...pathErrors },
} as const;

export const changePasswordSchema = {
  tags: ['users'],
  summary:
    'Change your own password (a browser session only); every other session of yours ends, this one stays.',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: {
      currentPassword: { type: 'string', minLength: 1, maxLength: 256 },
      newPassword: { type: 'string', minLength: 12, maxLength: 256 },
    },
  },
  response: { 204: noContent, ...authErrors, 429: errorBody, ...bodyErrors },
} as const;

export type CreateUserRequest = FromSchema<typeof createUserSchema.body>;
export type UpdateUserRequest = FromSchema<typeof updateUserSchema.body>;
export type ChangePasswordRequest = FromSchema<typeof changePasswordSchema.body>;
