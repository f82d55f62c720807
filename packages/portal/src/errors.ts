// Every error the portal raises on purpose, with a code from the contract's list (errorCodes in
// @streamgate/contract, which the OpenAPI document's error bodies enumerate). One place,
// http/error-handler.ts, maps codes to HTTP statuses.
import type { ErrorCode } from '@streamgate/contract';

export type { ErrorCode };

export class PortalError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export class BadRequestError extends PortalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PORTAL_BAD_REQUEST', message, options);
  }
}

/** No credentials, or credentials that do not identify anyone. */
export class UnauthenticatedError extends PortalError {
  constructor(message = 'Authentication required: send a session cookie or an Authorization: Bearer token.') {
    super('PORTAL_UNAUTHENTICATED', message);
  }
}

export class InvalidTokenError extends PortalError {
  constructor(message: string) {
    super('PORTAL_INVALID_TOKEN', message);
  }
}

export class TokenRevokedError extends PortalError {
  constructor(message: string) {
    super('PORTAL_TOKEN_REVOKED', message);
  }
}

export class ForbiddenError extends PortalError {
  constructor(message: string) {
    super('PORTAL_FORBIDDEN', message);
  }
}

export class CsrfError extends PortalError {
  constructor() {
    super(
      'PORTAL_CSRF',
      'Missing or wrong X-CSRF-Token header: cookie-authenticated writes must send the csrfToken from /auth/login or /auth/me.',
    );
  }
}

export class NotFoundError extends PortalError {
  constructor(message: string) {
    super('PORTAL_NOT_FOUND', message);
  }
}

export class ConflictError extends PortalError {
  constructor(message: string) {
    super('PORTAL_CONFLICT', message);
  }
}

export class PreconditionRequiredError extends PortalError {
  constructor(message: string) {
    super('PORTAL_PRECONDITION_REQUIRED', message);
  }
}

export class RateLimitedError extends PortalError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super('PORTAL_RATE_LIMITED', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The broker cannot be reached or is not ready: nothing was changed, the same request can be retried later. */
export class BrokerUnavailableError extends PortalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PORTAL_BROKER_UNAVAILABLE', message, options);
  }
}

/**
 * The broker answered and refused, for a reason that is not the caller's (the portal's own admin
 * principal lacks a permission, topic deletion is disabled, an unknown server error): an operator
 * has to act, so retrying the same request will not help by itself.
 */
export class BrokerRefusedError extends PortalError {
  /** Kafka's error id (e.g. TOPIC_AUTHORIZATION_FAILED), for the log and the operator. */
  readonly kafkaCode: string | null;
  constructor(message: string, kafkaCode: string | null, options?: { cause?: unknown }) {
    super('PORTAL_BROKER_REFUSED', message, options);
    this.kafkaCode = kafkaCode;
  }
}

/** The path exists, not with this method; `allow` lists the methods it has (the Allow header). */
export class MethodNotAllowedError extends PortalError {
  readonly allow: readonly string[];
  constructor(method: string, path: string, allow: readonly string[]) {
    super('PORTAL_METHOD_NOT_ALLOWED', `${path} does not take ${method}; it takes ${allow.join(', ')}.`);
    this.allow = allow;
  }
}

/** The one answer for a workspace that does not exist or that the caller may not see: ids do not leak. */
export function workspaceNotFound(workspaceId: string): NotFoundError {
  return new NotFoundError(`Workspace '${workspaceId}' does not exist or you have no access to it.`);
}
