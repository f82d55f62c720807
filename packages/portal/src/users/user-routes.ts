import {
  changePasswordSchema,
  createUserSchema,
  deleteUserSchema,
  listUsersSchema,
  updateUserSchema,
} from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { userJson } from '../auth/auth-routes.ts';
import { sha256Hex } from '../crypto/hashing.ts';
import { principalOf, sessionCookieName } from '../http/request-auth.ts';
import type { Role } from '../permissions/roles.ts';
import type { UserChanges, UserService } from './user-service.ts';

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
