// Kafka's failures as the portal's errors, translated once, where the portal meets Kafka: the admin
// wrapper (kafka-admin.ts) passes every failure of every call through translateKafkaError, and
// nothing above it translates again. @platformatic/kafka nests its errors (MultipleErrors >
// ResponseError > ProtocolError, a NetworkError's cause); the whole tree is read. Three outcomes:
//   - the broker cannot be reached, did not answer in time or is not ready: 503
//     PORTAL_BROKER_UNAVAILABLE, retry later;
//   - the broker refused because of what the caller asked (the topic exists, does not exist, its
//     settings are invalid, a policy forbids them): 400, 404 or 409 with Kafka's reason;
//   - the broker refused for a reason that is not the caller's (the portal's admin principal is
//     not authorized or its credentials are wrong, an unknown server error): 502
//     PORTAL_BROKER_REFUSED (see http/error-handler.ts for why 502).
import { GenericError } from '@platformatic/kafka';
import {
  BadRequestError,
  BrokerRefusedError,
  BrokerUnavailableError,
  ConflictError,
  NotFoundError,
} from '../errors.ts';

/** Unreachable, no answer in time, or not ready yet (no controller or leader, e.g. while it starts). */
export class KafkaUnavailableError extends BrokerUnavailableError {
  readonly reason: 'unreachable' | 'timeout' | 'not-ready';
  constructor(reason: KafkaUnavailableError['reason'], options?: { cause?: unknown }) {
    super(
      reason === 'timeout'
        ? 'The Kafka broker did not answer in time; the portal changed nothing. Try again shortly.'
        : 'The Kafka broker cannot be reached right now; nothing was changed. Try again shortly.',
      options,
    );
    this.reason = reason;
  }
}

/** A refusal that is not the caller's fault: an operator has to act on the broker or the portal's settings. */
export class KafkaRefusedError extends BrokerRefusedError {
  readonly reason: 'authentication' | 'authorization' | 'other';
  constructor(reason: KafkaRefusedError['reason'], kafkaCode: string | null, options?: { cause?: unknown }) {
    const why = kafkaCode ? ` (${kafkaCode})` : '';
    super(
      reason === 'authentication'
        ? `Kafka refused the portal's admin credentials${why}; nothing was changed. An operator has to fix the portal's Kafka admin settings.`
        : reason === 'authorization'
          ? `Kafka refused the portal's admin principal${why}: it lacks a permission on the broker. Nothing was changed; an operator has to grant it.`
          : `Kafka refused the request${why}; nothing was changed. Nothing in your request caused it: the broker's log says why.`,
      kafkaCode,
      options,
    );
    this.reason = reason;
  }
}

export class KafkaTopicExistsError extends ConflictError {
  constructor(topic: string) {
    super(`Topic ${topic} already exists.`);
  }
}

export class KafkaTopicNotFoundError extends NotFoundError {
  constructor(topic: string) {
    super(`Topic ${topic} does not exist.`);
  }
}

/** Kafka refused the topic's settings (partitions, replication factor, a config value, the name, a policy). */
export class KafkaInvalidTopicError extends BadRequestError {
  readonly kafkaCode: string;
  constructor(kafkaCode: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kafkaCode = kafkaCode;
  }
}

/** A consumer group with members left cannot be deleted (Kafka's NON_EMPTY_GROUP). */
export class KafkaGroupNotEmptyError extends ConflictError {
  constructor() {
    super('The consumer group still has members.');
  }
}

export class KafkaGroupNotFoundError extends NotFoundError {
  constructor() {
    super('The consumer group does not exist.');
  }
}

interface KafkaErrorNode {
  code?: unknown;
  apiId?: unknown;
  canRetry?: unknown;
  message?: unknown;
  serverErrorMessage?: unknown;
  errors?: unknown;
  cause?: unknown;
}

function flatten(error: unknown, into: KafkaErrorNode[] = [], depth = 0): KafkaErrorNode[] {
  if (typeof error !== 'object' || error === null || depth > 12) return into;
  const node = error as KafkaErrorNode;
  into.push(node);
  if (Array.isArray(node.errors)) for (const inner of node.errors) flatten(inner, into, depth + 1);
  if (node.cause) flatten(node.cause, into, depth + 1);
  return into;
}

const invalidTopicIds = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
]);
const authorizationIds = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'DELEGATION_TOKEN_AUTHORIZATION_FAILED',
]);
/** Not retryable by the library's table, yet only a broker that is starting or moving says them. */
const notReadyIds = new Set(['BROKER_NOT_AVAILABLE', 'REQUEST_TIMED_OUT', 'NOT_CONTROLLER']);
const unreachableCodes = new Set([
  'PLT_KFK_NETWORK',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ETIMEDOUT',
]);

/**
 * The portal's error for a failure of an admin call; `subject` names the topic it was about, for
 * the message. An error that did not come from Kafka (a bug) is returned as it is: a 500.
 */
export function translateKafkaError(error: unknown, subject: { topic?: string } = {}): Error {
  const nodes = flatten(error);
  const topic = subject.topic ?? '';
  const protocol = nodes.filter((n): n is KafkaErrorNode & { apiId: string } => typeof n.apiId === 'string');
  const find = (ids: Set<string> | string) =>
    protocol.find((n) => (typeof ids === 'string' ? n.apiId === ids : ids.has(n.apiId)));

  // What the caller asked for decides first: the broker's answer to it is definite.
  if (find('TOPIC_ALREADY_EXISTS')) return new KafkaTopicExistsError(topic);
  if (
    find('UNKNOWN_TOPIC_OR_PARTITION') ||
    find('UNKNOWN_TOPIC_ID') ||
    nodes.some((n) => n.code === 'PLT_KFK_USER' && /^Unknown topic/.test(String(n.message)))
  ) {
    return new KafkaTopicNotFoundError(topic);
  }
  const invalid = find(invalidTopicIds);
  if (invalid) {
    const detail = String(invalid.serverErrorMessage || invalid.message || invalid.apiId);
    return new KafkaInvalidTopicError(invalid.apiId, `Kafka refused topic ${topic}: ${detail}`, {
      cause: error,
    });
  }
  if (find('NON_EMPTY_GROUP')) return new KafkaGroupNotEmptyError();
  if (find('GROUP_ID_NOT_FOUND')) return new KafkaGroupNotFoundError();

  // Then a refusal of the portal itself, even when an earlier attempt also met a network error.
  if (nodes.some((n) => n.code === 'PLT_KFK_AUTHENTICATION') || find('SASL_AUTHENTICATION_FAILED')) {
    return new KafkaRefusedError('authentication', 'SASL_AUTHENTICATION_FAILED', { cause: error });
  }
  const unauthorized = find(authorizationIds);
  if (unauthorized) return new KafkaRefusedError('authorization', unauthorized.apiId, { cause: error });
  const refused = protocol.find((n) => n.canRetry !== true && !notReadyIds.has(n.apiId));
  if (refused) return new KafkaRefusedError('other', refused.apiId, { cause: error });

  // Then "not now": unreachable, timed out, or an answer that says to retry.
  if (nodes.some((n) => n.code === 'PLT_KFK_TIMEOUT'))
    return new KafkaUnavailableError('timeout', { cause: error });
  if (
    nodes.some(
      (n) =>
        (typeof n.code === 'string' && unreachableCodes.has(n.code)) ||
        /Cannot connect to any broker|Connection closed/.test(String(n.message)),
    )
  ) {
    return new KafkaUnavailableError('unreachable', { cause: error });
  }
  if (protocol.length > 0) return new KafkaUnavailableError('not-ready', { cause: error });

  // Any other failure the library raised (an unsupported API, a protocol surprise).
  const kafka = nodes.find((n) => GenericError.isGenericError(n as Error));
  if (kafka) {
    return new KafkaRefusedError('other', typeof kafka.code === 'string' ? kafka.code : null, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}
