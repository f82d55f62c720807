// Connection options shared by every Kafka client this library creates.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
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

/** Where @platformatic/kafka publishes every client, pool and connection it creates. */
const platformaticInstances = 'plt:kafka:instances';
/** The instance ids of the Kafka clients this library created. */
const ours = new Set<number>();

function onInstance(message: unknown): void {
  const { type, instance } = message as {
    type: string;
    instance: { ownerId?: number } & Pick<EventEmitter, 'on'>;
  };
  if (type === 'connection' && instance.ownerId !== undefined && ours.has(instance.ownerId))
    instance.on('error', ignore);
}

/**
 * Listens to the 'error' events of every broker connection `client` opens (its message streams'
 * too), from the moment each is created. @platformatic/kafka 2.12.1's connection pool listens to a
 * connection's first 'error' only; a connection that emits a second one (its socket fails during a
 * (re-)authentication, then the authentication fails, as when brokers stop) throws it from a socket
 * callback: an uncaught exception that kills the process. The requests of that connection fail
 * through their own callbacks either way, so nothing is lost by listening.
 */
export function listenToConnectionErrors(client: KafkaClientIdentity): void {
  if (ours.size === 0) subscribe(platformaticInstances, onInstance);
  ours.add(client.instanceId);
  // A closed client opens no more connections (its own already have the listener).
  client.once('client:close', () => forgetConnectionErrors(client));
}

type KafkaClientIdentity = { readonly instanceId: number } & Pick<EventEmitter, 'once'>;

/** Stops listening for `client`'s new connections (it is closed). */
export function forgetConnectionErrors(client: KafkaClientIdentity): void {
  if (!ours.delete(client.instanceId)) return;
  if (ours.size === 0) unsubscribe(platformaticInstances, onInstance);
}
