import { certificatesSchema, librdkafkaSchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { principalOf } from '../http/request-auth.ts';
import { can } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';

export interface BrokerConnection {
  bootstrap: string;
  securityProtocol: 'SASL_PLAINTEXT' | 'SASL_SSL';
  tokenEndpointUrl: string;
  caCertPem: string | null;
}

type Params = { Params: { workspaceId: string } };

export function registerLibrdkafkaRoutes(
  app: FastifyInstance,
  deps: { connection: () => BrokerConnection | null },
): void {
  const authorize = (principal: Principal, workspaceId: string) => {
    if (!can(principal, 'workspace.read', workspaceId).allowed) {
      throw new NotFoundError(`Workspace '${workspaceId}' does not exist or you have no access to it.`);
    }
    const decision = can(principal, 'broker.connect', workspaceId);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
  };

  app.get<Params>(
    '/workspaces/:workspaceId/broker/librdkafka',
    { schema: librdkafkaSchema },
    async (request, reply) => {
      const { workspaceId } = request.params;
      authorize(principalOf(request), workspaceId);
      const connection = deps.connection();
      if (!connection)
        throw new NotFoundError('This portal has no Kafka broker configured (STREAMGATE_KAFKA_BOOTSTRAP).');
      // The only secret in the answer is the one the caller presented; keep it out of caches anyway.
      void reply.header('cache-control', 'no-store');
      const presented = /^Bearer +(\S+)/i.exec(request.headers.authorization ?? '')![1]!;
      return {
        'bootstrap.servers': connection.bootstrap,
        'security.protocol': connection.securityProtocol,
        'sasl.mechanism': 'OAUTHBEARER',
        'sasl.oauthbearer.method': 'oidc',
        'sasl.oauthbearer.client.id': workspaceId,
        'sasl.oauthbearer.client.secret': presented,
        'sasl.oauthbearer.token.endpoint.url': connection.tokenEndpointUrl,
        ...(connection.caCertPem
          ? { 'ssl.ca.cert': Buffer.from(connection.caCertPem).toString('base64') }
          : {}),
      };
    },
  );

  app.get<Params>(
    '/workspaces/:workspaceId/certificates',
    { schema: certificatesSchema },
    async (request, reply) => {
      const { workspaceId } = request.params;
      authorize(principalOf(request), workspaceId);
      const caCertPem = deps.connection()?.caCertPem ?? null;
      if (!caCertPem) return reply.status(204).send();
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${workspaceId}-certificates.zip"`)
        .send(Buffer.from(zipSync({ 'ca.cert': new TextEncoder().encode(caCertPem) })));
    },
  );
}
