import {
  changePasswordSchema,
  createUserSchema,
  deleteUserSchema,
  listUsersSchema,
  updateUserSchema,
} from '@streamgate/contract';
import { userJson } from '../auth/auth-routes.ts';
import { sha256Hex } from '../crypto/hashing.ts';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf, sessionCookieName, userOf } from '../http/request-auth.ts';
import type { UserService } from './user-service.ts';

export function registerUserRoutes(app: PortalApp, deps: { users: UserService }): void {
  const { users } = deps;

  app.get('/users', { schema: listUsersSchema, config: { access: 'users.read' } }, async () =>
    (await users.list()).map(userJson),
  );

  app.post(
    '/users',
    { schema: createUserSchema, config: { access: 'users.write' } },
    async (request, reply) =>
      reply.status(201).send(userJson(await users.create(principalOf(request), request.body, request.ip))),
  );

  app.patch(
    '/users/:userId',
    { schema: updateUserSchema, config: { access: 'users.write' } },
    async (request) =>
      userJson(await users.update(principalOf(request), request.params.userId, request.body, request.ip)),
  );

  app.delete(
    '/users/:userId',
    { schema: deleteUserSchema, config: { access: 'users.write' } },
    async (request, reply) => {
      await users.remove(principalOf(request), request.params.userId, request.ip);
      return reply.status(204).send();
    },
  );

  app.post(
    '/profile/password',
    { schema: changePasswordSchema, config: { access: 'profile.changePassword' } },
    async (request, reply) => {
      const cookie = request.auth?.session ? request.cookies[sessionCookieName] : undefined;
      await users.changePassword(
        userOf(request),
        request.body,
        cookie ? sha256Hex(cookie) : null,
        request.ip,
      );
      return reply.status(204).send();
    },
  );
}
