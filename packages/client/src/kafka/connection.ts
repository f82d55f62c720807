// Connection options shared by every Kafka client this library creates.
import type { EventEmitter } from 'node:events';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import type { SASLOptions } from '@platformatic/kafka';
import { type MappedBrokerConfig, validateOAuthBearerAuthBytes } from '../broker-config.ts';
import type { BrokerCredentials } from '../credentials.ts';

export interface KafkaConnectionOptions {
  clientId: string;
  bootstrapBrokers: string[];
  tls?: TlsOptions;
  sasl?: SASLOptions;
  connectTimeout: number;
  requestTimeout: number;
  retries: number;
  retryDelay: number;
  metadataMaxAge: number;
}

export function kafkaConnectionOptions(
  clientId: string,
  broker: MappedBrokerConfig,
  credentials: BrokerCredentials | null,
): KafkaConnectionOptions {
  const options: KafkaConnectionOptions = {
    clientId,
    bootstrapBrokers: broker.bootstrapBrokers,
    connectTimeout: 10_000,
    requestTimeout: 30_000,
    retries: 3,
    retryDelay: 250,
    metadataMaxAge: 180_000,
  };
  if (broker.tls) options.tls = broker.tls;
  if (broker.oauth && credentials) {
    options.sasl = {
      mechanism: 'OAUTHBEARER',
      // Called for every (re-)authentication of every connection: always a fresh-enough JWT.
      token: () => credentials.getToken(),
      authBytesValidator: validateOAuthBearerAuthBytes,
    };
  } else if (broker.sasl) {
    options.sasl = {
      mechanism: broker.sasl.mechanism,
      username: broker.sasl.username,
      password: broker.sasl.password,
    };
  }
  return options;
}

const ignore = () => {};

/**
 * Listens to the 'error' events of every broker connection `client` opens. @platformatic/kafka
 * 2.12.1's connection pool listens to a connection's first 'error' only; a connection that emits a
 * second one (a re-authentication failing on a socket that already failed, as when brokers stop)
 * throws it from a socket callback: an uncaught exception that kills the process. The requests of
 * that connection fail through their own callbacks either way, so nothing is lost by listening.
 */
export function listenToConnectionErrors(client: Pick<EventEmitter, 'on'>): void {
  client.on('client:broker:connect', ({ connection }: { connection: EventEmitter }) => {
    connection.on('error', ignore);
  });
}
