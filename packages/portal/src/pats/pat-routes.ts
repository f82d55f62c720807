import { createPatSchema, listPatsSchema, revokePatSchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { userOf } from '../http/request-auth.ts';
import type { PatService } from './pat-service.ts';

export function registerPatRoutes(app: PortalApp, deps: { pats: PatService }): void {
  const { pats } = deps;

  app.get(
    '/profile/tokens',
    { schema: listPatsSchema, config: { access: 'profile.read' } },
    async (request) => pats.list(userOf(request)),
  );

  // Only a session makes PATs (the table's `session` rule): a PAT's power can then never outlive
  // its own expiry or revocation.
  app.post(
    '/profile/tokens',
    { schema: createPatSchema, config: { access: 'profile.createPat' } },
    async (request, reply) => {
      const { pat, token } = await pats.create(userOf(request), request.body, request.ip);
      void reply.header('cache-control', 'no-store');
      return reply.status(201).send({ ...pat, token });
    },
  );

  app.delete(
    '/profile/tokens/:id',
    { schema: revokePatSchema, config: { access: 'profile.write' } },
    async (request, reply) => {
      await pats.revoke(userOf(request), request.params.id, request.ip);
      return reply.status(204).send();
    },
  );
}
