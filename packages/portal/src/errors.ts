// Every error the portal raises on purpose. One place (http/error-handler.ts) maps codes to HTTP.
export const errorCodes = [
  'PORTAL_BAD_REQUEST',
  'PORTAL_UNAUTHENTICATED',
  'PORTAL_INVALID_TOKEN',
  'PORTAL_TOKEN_REVOKED',
  'PORTAL_FORBIDDEN',
  'PORTAL_CSRF',
  'PORTAL_NOT_FOUND',
  'PORTAL_CONFLICT',
  'PORTAL_PRECONDITION_REQUIRED',
  'PORTAL_RATE_LIMITED',
  'PORTAL_PAYLOAD_TOO_LARGE',
  'PORTAL_BROKER_UNAVAILABLE',
  'PORTAL_INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

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

export class BrokerUnavailableError extends PortalError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PORTAL_BROKER_UNAVAILABLE', message, options);
  }
}

export const httpStatusByCode: Record<ErrorCode, number> = {
  PORTAL_BAD_REQUEST: 400,
  PORTAL_UNAUTHENTICATED: 401,
  PORTAL_INVALID_TOKEN: 401,
  PORTAL_TOKEN_REVOKED: 401,
  PORTAL_FORBIDDEN: 403,
  PORTAL_CSRF: 403,
  PORTAL_NOT_FOUND: 404,
  PORTAL_CONFLICT: 409,
  PORTAL_PRECONDITION_REQUIRED: 428,
  PORTAL_PAYLOAD_TOO_LARGE: 413,
  PORTAL_RATE_LIMITED: 429,
  PORTAL_BROKER_UNAVAILABLE: 503,
  PORTAL_INTERNAL: 500,
};
