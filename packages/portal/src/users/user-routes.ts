import type { FastifyInstance } from 'fastify';
import { userJson } from '../auth/auth-routes.ts';
import { userBody } from '../auth/auth-schemas.ts';
import { sha256Hex } from '../crypto/hashing.ts';
import { principalOf, sessionCookieName } from '../http/request-auth.ts';
import { authErrors, errorBody, noContent, roleSchema } from '../http/schemas.ts';
import type { Role } from '../permissions/roles.ts';
import type { UserChanges, UserService } from './user-service.ts';

const userIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['userId'],
  properties: { userId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

const listUsersSchema = {
  tags: ['users'],
  summary: "The organisation's users (organisation Admin).",
  response: { 200: { type: 'array', items: userBody }, ...authErrors },
} as const;

const createUserSchema = {
  tags: ['users'],
  summary: 'Create a user with an organisation-level role (default None) (organisation Admin).',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: {
      email: { type: 'string', minLength: 3, maxLength: 254 },
      password: { type: 'string', minLength: 1, maxLength: 256 },
      name: { type: 'string', maxLength: 100 },
      role: roleSchema,
    },
  },
  response: { 201: userBody, ...authErrors, 409: errorBody },
} as const;

const updateUserSchema = {
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
  response: { 200: userBody, ...authErrors, 409: errorBody },
} as const;

const deleteUserSchema = {
  tags: ['users'],
  summary:
    'Delete a user with its sessions, PATs and workspace roles (organisation Admin; not yourself, not the last Admin).',
  params: userIdParams,
  response: { 204: noContent, ...authErrors, 409: errorBody },
} as const;

const changePasswordSchema = {
  tags: ['users'],
  summary:
    'Change your own password (a browser session only); every other session of yours ends, this one stays.',
  body: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: {
      currentPassword: { type: 'string', minLength: 1, maxLength: 256 },
      newPassword: { type: 'string', minLength: 1, maxLength: 256 },
    },
  },
  response: { 204: noContent, ...authErrors, 429: errorBody },
} as const;

export function registerUserRoutes(app: FastifyInstance, deps: { users: UserService }): void {
  const { users } = deps;

  app.get('/users', { schema: listUsersSchema }, async (request) =>
    (await users.list(principalOf(request))).map(userJson),
  );

  app.post<{ Body: { email: string; password: string; name?: string; role?: Role } }>(
    '/users',
    { schema: createUserSchema },
    async (request, reply) =>
      reply.status(201).send(userJson(await users.create(principalOf(request), request.body, request.ip))),
  );

  app.patch<{ Params: { userId: string }; Body: UserChanges }>(
    '/users/:userId',
    { schema: updateUserSchema },
    async (request) =>
      userJson(await users.update(principalOf(request), request.params.userId, request.body, request.ip)),
  );

  app.delete<{ Params: { userId: string } }>(
    '/users/:userId',
    { schema: deleteUserSchema },
    async (request, reply) => {
      await users.remove(principalOf(request), request.params.userId, request.ip);
      return reply.status(204).send();
    },
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/profile/password',
    { schema: changePasswordSchema },
    async (request, reply) => {
      const cookie = request.auth?.session ? request.cookies[sessionCookieName] : undefined;
      await users.changePassword(
        principalOf(request),
        request.body,
        cookie ? sha256Hex(cookie) : null,
        request.ip,
      );
      return reply.status(204).send();
    },
  );
}
