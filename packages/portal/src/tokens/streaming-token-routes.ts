import { getStreamingTokensSchema, rotateStreamingTokensSchema } from '@streamgate/contract';
import type { FastifyReply } from 'fastify';
import { expectedPairTag } from '../http/if-match.ts';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf } from '../http/request-auth.ts';
import type { StreamingTokenService, StreamingTokensView } from './streaming-token-service.ts';

export function registerStreamingTokenRoutes(
  app: PortalApp,
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

  app.get(
    '/workspaces/:workspaceId/streaming-tokens',
    { schema: getStreamingTokensSchema, config: { access: 'streamingTokens.read' } },
    async (request, reply) => {
      const view = await streamingTokens.view(principalOf(request), request.params.workspaceId, request.ip, {
        values: request.query.values !== 'false',
      });
      return send(reply, view);
    },
  );

  app.post(
    '/workspaces/:workspaceId/streaming-tokens/rotate',
    { schema: rotateStreamingTokensSchema, config: { access: 'streamingTokens.rotate' } },
    async (request, reply) => {
      const view = await streamingTokens.rotate(
        principalOf(request),
        request.params.workspaceId,
        expectedPairTag(request, 'Rotation'),
        request.ip,
      );
      const brokerCutoff = deps.brokerCutOff ? await deps.brokerCutOff() : null;
      return { ...send(reply, view), brokerCutoff };
    },
  );
}
