import { createPatSchema, listPatsSchema, revokePatSchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { PatService } from './pat-service.ts';

type CreateBody = { name: string; expiresAt: string; workspaces?: string[] | null; readOnly?: boolean };

export function registerPatRoutes(app: FastifyInstance, deps: { pats: PatService }): void {
  const { pats } = deps;

  app.get('/profile/tokens', { schema: listPatsSchema }, async (request) => pats.list(principalOf(request)));

  app.post<{ Body: CreateBody }>('/profile/tokens', { schema: createPatSchema }, async (request, reply) => {
    const { pat, token } = await pats.create(principalOf(request), request.body, request.ip);
    void reply.header('cache-control', 'no-store');
    return reply.status(201).send({ ...pat, token });
  });

  app.delete<{ Params: { id: string } }>(
    '/profile/tokens/:id',
    { schema: revokePatSchema },
    async (request, reply) => {
      await pats.revoke(principalOf(request), request.params.id, request.ip);
      return reply.status(204).send();
    },
  );
}
