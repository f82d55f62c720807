import { getStreamingTokensSchema, rotateStreamingTokensSchema } from '@streamgate/contract';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { principalOf } from '../http/request-auth.ts';
import type { StreamingTokenService, StreamingTokensView } from './streaming-token-service.ts';

type Params = { Params: { workspaceId: string } };

export function registerStreamingTokenRoutes(
  app: FastifyInstance,
  deps: {
    streamingTokens: StreamingTokenService;
    /** Removes the deactivated token's ACLs at the broker: 'done', 'pending' (retried), null without a broker. */
    brokerCutOff?: () => Promise<'done' | 'pending' | null>;
  },
): void {
  const { streamingTokens } = deps;
  const send = (reply: FastifyReply, view: StreamingTokensView) => {
    // Token values must never sit in a shared cache.
    void reply.header('etag', `"${view.etag}"`).header('cache-control', 'no-store');
    const { etag: _etag, ...body } = view;
    return body;
  };

  app.get<Params & { Querystring: { values?: 'true' | 'false' } }>(
    '/workspaces/:workspaceId/streaming-tokens',
    { schema: getStreamingTokensSchema },
    async (request, reply) => {
      const view = await streamingTokens.view(principalOf(request), request.params.workspaceId, request.ip, {
        values: request.query.values !== 'false',
      });
      return send(reply, view);
    },
  );

  app.post<Params>(
    '/workspaces/:workspaceId/streaming-tokens/rotate',
    { schema: rotateStreamingTokensSchema },
    async (request, reply) => {
      const view = await streamingTokens.rotate(
        principalOf(request),
        request.params.workspaceId,
        request.headers['if-match'],
        request.ip,
      );
      const brokerCutoff = deps.brokerCutOff ? await deps.brokerCutOff() : null;
      return { ...send(reply, view), brokerCutoff };
    },
  );
}
