// Maps the Portal's flat librdkafka dictionary onto @platformatic/kafka connection options.
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { SASLOptions } from '@platformatic/kafka';
import { BrokerError, ConfigurationError } from './errors.ts';
import type { LibrdkafkaConfig } from './portal-api.ts';

export interface KafkaConnection {
  bootstrapBrokers: string[];
  tls?: TlsOptions;
  sasl?: SASLOptions;
}

export interface OAuthClientCredentials {
  tokenEndpointUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface MappedBrokerConfig {
  bootstrapBrokers: string[];
  tls: TlsOptions | undefined;
  /** SASL without the OAUTHBEARER token provider (the caller wires credentials). */
  sasl: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string } | null;
  /** Set when the broker wants OAUTHBEARER through the OIDC client-credentials grant. */
  oauth: OAuthClientCredentials | null;
}

const securityProtocols = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;

function required(config: LibrdkafkaConfig, key: string): string {
  const value = config[key];
  if (value === undefined || value === '') {
    throw new ConfigurationError(`The Portal's broker configuration lacks '${key}'`);
  }
  return value;
}

export function mapBrokerConfig(config: LibrdkafkaConfig): MappedBrokerConfig {
  const bootstrapBrokers = required(config, 'bootstrap.servers')
    .split(',')
    .map((server) => server.trim())
    .filter(Boolean);
  const protocol = (config['security.protocol'] ?? 'plaintext').toLowerCase();
  if (!securityProtocols.includes(protocol as (typeof securityProtocols)[number])) {
    throw new ConfigurationError(
      `Unsupported security.protocol '${protocol}' in the Portal's broker configuration`,
    );
  }

  let tls: TlsOptions | undefined;
  if (protocol === 'ssl' || protocol === 'sasl_ssl') {
    tls = {};
    const ca = config['ssl.ca.cert'];
    if (ca) {
      const pem = Buffer.from(ca, 'base64').toString('utf8');
      tls.ca = pem.includes('-----BEGIN') ? pem : ca;
    }
    if ((config['ssl.endpoint.identification.algorithm'] ?? '').toLowerCase() === 'none') {
      tls.checkServerIdentity = () => undefined;
    }
  }

  let sasl: MappedBrokerConfig['sasl'] = null;
  let oauth: OAuthClientCredentials | null = null;
  if (protocol.startsWith('sasl_')) {
    const mechanism = (config['sasl.mechanism'] ?? config['sasl.mechanisms'] ?? 'GSSAPI').toUpperCase();
    if (mechanism === 'PLAIN' || mechanism === 'SCRAM-SHA-256' || mechanism === 'SCRAM-SHA-512') {
      sasl = {
        mechanism,
        username: required(config, 'sasl.username'),
        password: required(config, 'sasl.password'),
      };
    } else if (mechanism === 'OAUTHBEARER') {
      const method = (config['sasl.oauthbearer.method'] ?? 'default').toLowerCase();
      if (method !== 'oidc') {
        throw new BrokerError(
          `The broker wants SASL/OAUTHBEARER with method '${method}'; this client supports only 'oidc' (client credentials)`,
        );
      }
      oauth = {
        tokenEndpointUrl: required(config, 'sasl.oauthbearer.token.endpoint.url'),
        clientId: required(config, 'sasl.oauthbearer.client.id'),
        clientSecret: required(config, 'sasl.oauthbearer.client.secret'),
      };
    } else {
      throw new BrokerError(`SASL mechanism '${mechanism}' is not supported by this client`);
    }
  }
  return { bootstrapBrokers, tls, sasl, oauth };
}

/**
 * Validates the server's final OAUTHBEARER message. The bundled validator calls back twice on
 * `invalid_token`; this one answers once.
 */
export function validateOAuthBearerAuthBytes(
  authBytes: Buffer,
  callback: (error: Error | null, result?: Buffer) => void,
): void {
  if (authBytes.length > 0) {
    let status: unknown;
    try {
      status = JSON.parse(authBytes.toString('utf8')).status;
    } catch {
      callback(new BrokerError('The broker answered SASL/OAUTHBEARER with unreadable bytes'));
      return;
    }
    if (status === 'invalid_token') {
      callback(new BrokerError('The broker rejected the OAUTHBEARER token (invalid_token)'));
      return;
    }
  }
  callback(null, authBytes);
}
