// Looks through an error, its causes and aggregated errors.

export function someInChain(error: unknown, predicate: (e: Error) => boolean, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 8) return false;
  if (predicate(error)) return true;
  if (someInChain(error.cause, predicate, depth + 1)) return true;
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) return nested.some((e) => someInChain(e, predicate, depth + 1));
  return false;
}

export function findInChain<T extends Error>(
  error: unknown,
  predicate: (e: Error) => e is T,
  depth = 0,
): T | null {
  if (!(error instanceof Error) || depth > 8) return null;
  if (predicate(error)) return error;
  const fromCause = findInChain(error.cause, predicate, depth + 1);
  if (fromCause) return fromCause;
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested)) {
    for (const e of nested) {
      const found = findInChain(e, predicate, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

const authorizationApiIds = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
]);

/** A Kafka error that can come from losing the credential: authentication or authorization. */
export function isAccessError(error: unknown): boolean {
  return someInChain(error, (e) => {
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string' && authorizationApiIds.has(apiId)) return true;
    const code = (e as { code?: unknown }).code;
    return code === 'PLT_KFK_AUTHENTICATION' || code === 'CLIENT_TOKEN_REVOKED';
  });
}

/** The first Kafka protocol error id in the chain, for messages. */
export function kafkaApiId(error: unknown): string | null {
  let found: string | null = null;
  someInChain(error, (e) => {
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string') found = apiId;
    return found !== null;
  });
  return found;
}

const permanentApiIds = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'INVALID_TOPIC_EXCEPTION',
  'CORRUPT_MESSAGE',
  'UNSUPPORTED_VERSION',
  'INVALID_REQUIRED_ACKS',
  'UNSUPPORTED_FOR_MESSAGE_FORMAT',
]);

/** Failures that trying again cannot fix (bad input, unsupported requests). */
export function isPermanentKafkaError(error: unknown): boolean {
  return someInChain(error, (e) => {
    const apiId = (e as { apiId?: unknown }).apiId;
    if (typeof apiId === 'string' && permanentApiIds.has(apiId)) return true;
    const code = (e as { code?: unknown }).code;
    return code === 'PLT_KFK_USER' || code === 'CLIENT_TOKEN_REVOKED' || code === 'CLIENT_INVALID_ARGUMENT';
  });
}

/** Backoff for retrying Kafka work: 250 ms doubling to 4 s; attempts beyond the list give up. */
export const kafkaRetryDelays = [250, 500, 1000, 2000, 4000, 4000, 4000];
