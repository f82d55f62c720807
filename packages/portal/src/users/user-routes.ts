import type { FastifyInstance } from 'fastify';
import { userJson } from '../auth/auth-routes.ts';
import { userBody } from '../auth/auth-schemas.ts';
import { principalOf } from '../http/request-auth.ts';
import { authErrors, errorBody, roleSchema } from '../http/schemas.ts';
import type { Role } from '../permissions/roles.ts';
import type { UserService } from './user-service.ts';

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
  summary: "Change a user's name or organisation-level role (organisation Admin).",
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['userId'],
    properties: { userId: { type: 'string', minLength: 1, maxLength: 128 } },
  },
  body: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, role: roleSchema },
  },
  response: { 200: userBody, ...authErrors },
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

  app.patch<{ Params: { userId: string }; Body: { name?: string; role?: Role } }>(
    '/users/:userId',
    { schema: updateUserSchema },
    async (request) =>
      userJson(await users.update(principalOf(request), request.params.userId, request.body, request.ip)),
  );
}
