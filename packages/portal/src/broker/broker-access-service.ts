import type { LibrdkafkaConfig } from '@streamgate/contract';
import { zipSync } from 'fflate';
import { NotFoundError } from '../errors.ts';

/** How clients reach the broker: what `broker/librdkafka` and `/certificates` describe. */
export interface BrokerConnection {
  bootstrap: string;
  securityProtocol: 'SASL_PLAINTEXT' | 'SASL_SSL';
  tokenEndpointUrl: string;
  caCertPem: string | null;
}

export interface BrokerAccessService {
  /**
   * The flat librdkafka configuration for a workspace: OAUTHBEARER through the token endpoint,
   * with the caller's own streaming token as the client secret.
   */
  librdkafkaConfig(workspaceId: string, presentedToken: string): LibrdkafkaConfig;
  /** The broker's CA certificate as a zip holding `ca.cert`; null when the broker needs none. */
  certificatesZip(): Uint8Array | null;
}

export function createBrokerAccessService(deps: {
  connection: () => BrokerConnection | null;
}): BrokerAccessService {
  return {
    librdkafkaConfig(workspaceId, presentedToken) {
      const connection = deps.connection();
      if (!connection)
        throw new NotFoundError('This portal has no Kafka broker configured (STREAMGATE_KAFKA_BOOTSTRAP).');
      return {
        'bootstrap.servers': connection.bootstrap,
        'security.protocol': connection.securityProtocol,
        'sasl.mechanism': 'OAUTHBEARER',
        'sasl.oauthbearer.method': 'oidc',
        'sasl.oauthbearer.client.id': workspaceId,
        'sasl.oauthbearer.client.secret': presentedToken,
        'sasl.oauthbearer.token.endpoint.url': connection.tokenEndpointUrl,
        ...(connection.caCertPem
          ? { 'ssl.ca.cert': Buffer.from(connection.caCertPem).toString('base64') }
          : {}),
      };
    },

    certificatesZip() {
      const caCertPem = deps.connection()?.caCertPem ?? null;
      return caCertPem ? zipSync({ 'ca.cert': new TextEncoder().encode(caCertPem) }) : null;
    },
  };
}
