import type { LibrdkafkaConfig } from '@streamgate/contract';
import { zipSync } from 'fflate';
import { NotFoundError } from '../errors.ts';
import { brokerPrincipalOf } from './broker-principal.ts';

/** How clients reach the broker: what `broker/librdkafka` and `/certificates` describe. */
export interface BrokerConnection {
  bootstrap: string;
  securityProtocol: 'SASL_PLAINTEXT' | 'SASL_SSL';
  tokenEndpointUrl: string;
  caCertPem: string | null;
  /** The broker checks PLAIN logins with the portal (STREAMGATE_KAFKA_PLAIN, on by default). */
  plainLogins: boolean;
}

/** The streaming-token caller asking: its own token and that token's id. */
export interface BrokerCaller {
  tokenId: string;
  token: string;
}

export interface BrokerAccessService {
  /**
   * The flat librdkafka configuration for a workspace, with the caller's own streaming token as
   * the secret. Over TLS it is a PLAIN login as the token's principal, checked by the portal at
   * every connection: librdkafka then makes no HTTPS call of its own, whose CA no Quix client
   * setting could name (quixstreams accepts no `https.ca.location`, and the wheel's libcurl reads
   * no environment). Without TLS, a password must not cross the wire: OAUTHBEARER through the
   * token endpoint, whose JWTs live minutes.
   */
  librdkafkaConfig(workspaceId: string, caller: BrokerCaller): LibrdkafkaConfig;
  /** The broker's CA certificate as a zip holding `ca.cert`; null when the broker needs none. */
  certificatesZip(): Uint8Array | null;
}

export function createBrokerAccessService(deps: {
  connection: () => BrokerConnection | null;
}): BrokerAccessService {
  return {
    librdkafkaConfig(workspaceId, caller) {
      const connection = deps.connection();
      if (!connection)
        throw new NotFoundError('This portal has no Kafka broker configured (STREAMGATE_KAFKA_BOOTSTRAP).');
      const ca = connection.caCertPem
        ? { 'ssl.ca.cert': Buffer.from(connection.caCertPem).toString('base64') }
        : {};
      if (connection.securityProtocol === 'SASL_SSL' && connection.plainLogins) {
        return {
          'bootstrap.servers': connection.bootstrap,
          'security.protocol': 'SASL_SSL',
          'sasl.mechanism': 'PLAIN',
          'sasl.username': brokerPrincipalOf(caller.tokenId),
          'sasl.password': caller.token,
          ...ca,
        };
      }
      return {
        'bootstrap.servers': connection.bootstrap,
        'security.protocol': connection.securityProtocol,
        'sasl.mechanism': 'OAUTHBEARER',
        'sasl.oauthbearer.method': 'oidc',
        'sasl.oauthbearer.client.id': workspaceId,
        'sasl.oauthbearer.client.secret': caller.token,
        'sasl.oauthbearer.token.endpoint.url': connection.tokenEndpointUrl,
        ...ca,
      };
    },

    certificatesZip() {
      const caCertPem = deps.connection()?.caCertPem ?? null;
      return caCertPem ? zipSync({ 'ca.cert': new TextEncoder().encode(caCertPem) }) : null;
    },
  };
}
