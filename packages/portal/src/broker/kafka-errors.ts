// Kafka's errors as the portal's: @platformatic/kafka nests them (MultipleErrors > ResponseError >
// ProtocolError, causes); the portal needs to know "unavailable" (503), "exists", "not found" and
// "invalid topic settings" (400), and treats anything else as its own failure.
import {
  BadRequestError,
  BrokerUnavailableError,
  ConflictError,
  NotFoundError,
  PortalError,
} from '../errors.ts';

/**
 * The broker cannot be reached, rejected the admin's credentials, did not answer in time, or said
 * it is not ready (no controller or leader yet, e.g. while it starts).
 */
export class KafkaUnavailableError extends BrokerUnavailableError {
  readonly reason: 'unreachable' | 'authentication' | 'timeout' | 'not-ready';
  constructor(reason: KafkaUnavailableError['reason'], options?: { cause?: unknown }) {
    super('The Kafka broker is unavailable; try again later.', options);
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

/** Kafka refused the topic's settings (partitions, replication factor, a config value, the name). */
export class KafkaInvalidTopicError extends BadRequestError {
  readonly kafkaCode: string;
  constructor(kafkaCode: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kafkaCode = kafkaCode;
  }
}

/** Anything else Kafka refused (e.g. the admin lacks a permission): a server-side problem. */
export class KafkaAdminError extends PortalError {
  readonly kafkaCode: string | null;
  constructor(kafkaCode: string | null, options?: { cause?: unknown }) {
    super('PORTAL_INTERNAL', `Kafka refused the request${kafkaCode ? ` (${kafkaCode})` : ''}.`, options);
    this.kafkaCode = kafkaCode;
  }
}

interface KafkaErrorNode {
  code?: string;
  apiId?: string;
  message?: string;
  serverErrorMessage?: string | null;
  errors?: unknown[];
  cause?: unknown;
}

function flatten(error: unknown, into: KafkaErrorNode[] = [], depth = 0): KafkaErrorNode[] {
  if (typeof error !== 'object' || error === null || depth > 12) return into;
  const node = error as KafkaErrorNode;
  into.push(node);
  for (const inner of node.errors ?? []) flatten(inner, into, depth + 1);
  if (node.cause) flatten(node.cause, into, depth + 1);
  return into;
}

const invalidTopicCodes = new Set([
  'INVALID_TOPIC_EXCEPTION',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
]);
const unreachableCodes = new Set([
  'PLT_KFK_NETWORK',
  'PLT_KFK_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
]);
const notReadyCodes = new Set([
  'REQUEST_TIMED_OUT',
  'NOT_CONTROLLER',
  'BROKER_NOT_AVAILABLE',
  'LEADER_NOT_AVAILABLE',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'NETWORK_EXCEPTION',
]);

export function mapKafkaError(error: unknown, topic = ''): PortalError {
  const nodes = flatten(error);
  const apiIds = nodes.map((n) => n.apiId).filter((id): id is string => typeof id === 'string');
  const has = (id: string) => apiIds.includes(id);

  if (nodes.some((n) => n.code === 'PLT_KFK_AUTHENTICATION') || has('SASL_AUTHENTICATION_FAILED')) {
    return new KafkaUnavailableError('authentication', { cause: error });
  }
  if (has('TOPIC_ALREADY_EXISTS')) return new KafkaTopicExistsError(topic);
  if (has('UNKNOWN_TOPIC_OR_PARTITION') || has('UNKNOWN_TOPIC_ID')) return new KafkaTopicNotFoundError(topic);
  if (nodes.some((n) => n.code === 'PLT_KFK_USER' && /^Unknown topic/.test(n.message ?? ''))) {
    return new KafkaTopicNotFoundError(topic);
  }
  const invalid = nodes.find((n) => n.apiId && invalidTopicCodes.has(n.apiId));
  if (invalid?.apiId) {
    const detail = invalid.serverErrorMessage || invalid.message || invalid.apiId;
    return new KafkaInvalidTopicError(invalid.apiId, `Kafka refused topic ${topic}: ${detail}`, {
      cause: error,
    });
  }
  if (
    nodes.some(
      (n) => (n.code && unreachableCodes.has(n.code)) || /Cannot connect to any broker/.test(n.message ?? ''),
    )
  ) {
    return new KafkaUnavailableError('unreachable', { cause: error });
  }
  if (apiIds.some((id) => notReadyCodes.has(id)))
    return new KafkaUnavailableError('not-ready', { cause: error });
  return new KafkaAdminError(apiIds[0] ?? null, { cause: error });
}
