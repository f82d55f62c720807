import { certificatesSchema, librdkafkaSchema } from '@streamgate/contract';
import type { PortalApp } from '../http/portal-app.ts';
import { bearerTokenOf, streamingPrincipalOf } from '../http/request-auth.ts';
import type { BrokerAccessService } from './broker-access-service.ts';

export function registerLibrdkafkaRoutes(app: PortalApp, deps: { brokerAccess: BrokerAccessService }): void {
  app.get(
    '/workspaces/:workspaceId/broker/librdkafka',
    { schema: librdkafkaSchema, config: { access: 'broker.connect' } },
    async (request, reply) => {
      // The only secret in the answer is the one the caller presented; keep it out of caches anyway.
      void reply.header('cache-control', 'no-store');
      return deps.brokerAccess.librdkafkaConfig(request.params.workspaceId, {
        tokenId: streamingPrincipalOf(request).tokenId,
        token: bearerTokenOf(request),
      });
    },
  );

  app.get(
    '/workspaces/:workspaceId/certificates',
    { schema: certificatesSchema, config: { access: 'broker.connect' } },
    async (request, reply) => {
      const zip = deps.brokerAccess.certificatesZip();
      if (!zip) return reply.status(204).send();
      return reply
        .type('application/zip')
        .header(
          'content-disposition',
          `attachment; filename="${request.params.workspaceId}-certificates.zip"`,
        )
        .send(Buffer.from(zip));
    },
  );
}
