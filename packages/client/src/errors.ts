// Every error this library throws or emits. Codes are stable; messages say what to fix.

export const errorCodes = [
  'CLIENT_CONFIGURATION',
  'CLIENT_MALFORMED_TOKEN',
  'CLIENT_INVALID_TOKEN',
  'CLIENT_FORBIDDEN',
  'CLIENT_NOT_FOUND',
  'CLIENT_PORTAL_REQUEST',
  'CLIENT_PORTAL_UNREACHABLE',
  'CLIENT_PORTAL_TLS',
  'CLIENT_TOPIC_NOT_FOUND',
  'CLIENT_TOPIC_FAILED',
  'CLIENT_TOPIC_TIMEOUT',
  'CLIENT_TOKEN_REVOKED',
  'CLIENT_BROKER',
  'CLIENT_INVALID_ARGUMENT',
  'CLIENT_STREAM_CLOSED',
  'CLIENT_CLOSED',
  'CLIENT_SERIALIZATION',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export class StreamgateClientError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Missing or contradictory configuration (token, Portal URL, workspace). */
export class ConfigurationError extends StreamgateClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_CONFIGURATION', message, options);
  }
}

/** The token cannot be a streaming token: rejected before any request is made. */
export class MalformedTokenError extends StreamgateClientError {
  constructor(message: string) {
    super('CLIENT_MALFORMED_TOKEN', message);
  }
}

export interface PortalErrorDetails {
  status: number;
  method: string;
  url: string;
  serverMessage: string | null;
  serverCode: string | null;
  correlationId: string | null;
}

function describe(details: PortalErrorDetails): string {
  const server = details.serverMessage ? `: ${details.serverMessage}` : '';
  const correlation = details.correlationId ? ` (correlationId ${details.correlationId})` : '';
  return `Error ${details.status} for ${details.method} ${details.url}${server}${correlation}`;
}

/** The Portal API answered with an error status. */
export class PortalRequestError extends StreamgateClientError {
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly serverMessage: string | null;
  readonly serverCode: string | null;
  readonly correlationId: string | null;

  constructor(details: PortalErrorDetails, hint = '', code: ErrorCode = 'CLIENT_PORTAL_REQUEST') {
    super(code, `${describe(details)}${hint ? `. ${hint}` : ''}`);
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.serverMessage = details.serverMessage;
    this.serverCode = details.serverCode;
    this.correlationId = details.correlationId;
  }
}

/** 401: the Portal does not accept the token (mistyped, rotated or revoked). */
export class InvalidTokenError extends PortalRequestError {
  constructor(details: PortalErrorDetails) {
    super(
      details,
      'The Portal rejected the token: check Quix__Sdk__Token (a streaming token that was rotated or revoked must be replaced by the current one)',
      'CLIENT_INVALID_TOKEN',
    );
  }
}

/** 403: the token is valid but may not do this. */
export class ForbiddenError extends PortalRequestError {
  constructor(details: PortalErrorDetails) {
    super(details, 'The token is valid but not allowed to do this (wrong workspace?)', 'CLIENT_FORBIDDEN');
  }
}

/** 404 on a resource that must exist (a workspace, say). */
export class NotFoundError extends PortalRequestError {
  constructor(details: PortalErrorDetails, hint = '') {
    super(details, hint, 'CLIENT_NOT_FOUND');
  }
}

/** No HTTP answer from the Portal after all retries (connection refused, DNS, timeout). */
export class PortalUnreachableError extends StreamgateClientError {
  readonly url: string;
  readonly attempts: number;

  constructor(method: string, url: string, attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'CLIENT_PORTAL_UNREACHABLE',
      `The Portal API did not answer ${method} ${url} after ${attempts} attempt(s) (${reason}). Check Quix__Portal__Api and that the Portal is running`,
      { cause },
    );
    this.url = url;
    this.attempts = attempts;
  }
}

/**
 * The Portal's HTTPS certificate is not trusted (a private CA this process does not know, a name
 * it does not cover, expired). Not retried: waiting does not make a certificate trusted.
 */
export class PortalTlsError extends StreamgateClientError {
  readonly url: string;
  /** Node's reason, e.g. `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  readonly reason: string;

  constructor(method: string, url: string, reason: string, cause: unknown) {
    super(
      'CLIENT_PORTAL_TLS',
      `The Portal's certificate at ${method} ${url} is not trusted (${reason}). If the Portal uses a private CA, start Node with NODE_EXTRA_CA_CERTS=<the CA's PEM file> (a Streamgate started with --tls writes it to <data dir>/tls/ca.pem)`,
      { cause },
    );
    this.url = url;
    this.reason = reason;
  }
}

/** The topic does not exist and auto-creation is off. */
export class TopicNotFoundError extends StreamgateClientError {
  readonly topic: string;
  readonly workspaceId: string;

  constructor(topic: string, workspaceId: string) {
    super(
      'CLIENT_TOPIC_NOT_FOUND',
      `Topic '${topic}' does not exist in workspace '${workspaceId}' and autoCreateTopics is off: create it in the Portal or pass { autoCreateTopics: true }`,
    );
    this.topic = topic;
    this.workspaceId = workspaceId;
  }
}

/** The topic reached status Error (or is being deleted). */
export class TopicFailedError extends StreamgateClientError {
  readonly topic: string;
  readonly status: string;
  readonly lastError: string | null;

  constructor(topic: string, status: string, lastError: string | null) {
    super(
      'CLIENT_TOPIC_FAILED',
      `Topic '${topic}' is in status ${status}${lastError ? `: ${lastError}` : ''}`,
    );
    this.topic = topic;
    this.status = status;
    this.lastError = lastError;
  }
}

/** The topic did not become Ready in time. */
export class TopicTimeoutError extends StreamgateClientError {
  readonly topic: string;
  readonly status: string;

  constructor(topic: string, status: string, timeoutMs: number) {
    super(
      'CLIENT_TOPIC_TIMEOUT',
      `Waiting for topic '${topic}' to become Ready timed out after ${timeoutMs} ms (last status ${status}); raise topicReadyTimeoutMs or check the topic in the Portal`,
    );
    this.topic = topic;
    this.status = status;
  }
}

/** The streaming token was rotated out or revoked: the client cannot get broker access anymore. */
export class TokenRevokedError extends StreamgateClientError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      'CLIENT_TOKEN_REVOKED',
      `The streaming token was rotated or revoked (${detail}). Restart the service with the workspace's current token (Quix__Sdk__Token)`,
      options,
    );
  }
}

/** A Kafka error that is not a revocation (authorization without revocation, broker down, ...). */
export class BrokerError extends StreamgateClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_BROKER', message, options);
  }
}

/** Bad input to a method: an invalid stream id, value type, timestamp, ... */
export class InvalidArgumentError extends StreamgateClientError {
  constructor(message: string) {
    super('CLIENT_INVALID_ARGUMENT', message);
  }
}

/** Writing to a stream after close(). */
export class StreamClosedError extends StreamgateClientError {
  readonly streamId: string;

  constructor(streamId: string) {
    super(
      'CLIENT_STREAM_CLOSED',
      `Stream '${streamId}' is closed: create a new stream (topicProducer.createStream()) to publish more data`,
    );
    this.streamId = streamId;
  }
}

/** Using a producer, consumer or client after close(). */
export class ClientClosedError extends StreamgateClientError {
  constructor(what: string) {
    super('CLIENT_CLOSED', `${what} is closed`);
  }
}

/** A message that is not in the Quix wire format (or in a codec this client does not read). */
export class SerializationError extends StreamgateClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_SERIALIZATION', message, options);
  }
}
