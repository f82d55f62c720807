import type { FromSchema } from 'json-schema-to-ts';

/** Every error code the portal answers with, in `code` of an error body. */
export const errorCodes = [
  'PORTAL_BAD_REQUEST',
  'PORTAL_UNAUTHENTICATED',
  'PORTAL_INVALID_TOKEN',
  'PORTAL_TOKEN_REVOKED',
  'PORTAL_FORBIDDEN',
  'PORTAL_CSRF',
  'PORTAL_NOT_FOUND',
  'PORTAL_METHOD_NOT_ALLOWED',
  'PORTAL_CONFLICT',
  'PORTAL_PRECONDITION_REQUIRED',
  'PORTAL_URI_TOO_LONG',
  'PORTAL_RATE_LIMITED',
  'PORTAL_PAYLOAD_TOO_LARGE',
  'PORTAL_UNSUPPORTED_MEDIA_TYPE',
  'PORTAL_BROKER_UNAVAILABLE',
  'PORTAL_BROKER_REFUSED',
  'PORTAL_INTERNAL',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Schema fragments shared by the routes. Every route declares params, body and responses. */
export const errorBody = {
  type: 'object',
  additionalProperties: false,
  required: ['message', 'correlationId'],
  properties: {
    message: { type: 'string' },
    correlationId: { type: 'string' },
    code: { type: 'string', enum: errorCodes },
  },
} as const;

/** The body of every error answer: `{message, correlationId, code}`. */
export type ErrorBody = FromSchema<typeof errorBody>;

export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;

export const workspaceIdParam = {
  type: 'object',
  additionalProperties: false,
  required: ['workspaceId'],
  properties: { workspaceId: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** Error answers every authenticated route may give. */
export const authErrors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  429: errorBody,
} as const;

/**
 * Answered before any route runs: a path segment longer than the router takes (Fastify's
 * maxParamLength), PORTAL_URI_TOO_LONG.
 */
export const pathErrors = { 414: errorBody } as const;

/**
 * Answered before any route runs: a body over the size limit (PORTAL_PAYLOAD_TOO_LARGE) or in
 * a media type the route does not take (PORTAL_UNSUPPORTED_MEDIA_TYPE).
 */
export const bodyErrors = { 413: errorBody, 415: errorBody } as const;

/** `security` of a route that takes no credentials (public, or it authenticates the caller itself). */
export const noCredentials = [] as const;

/** `security` of a route that answers anyone and says more to an authenticated caller. */
export const optionalCredentials = [{}, { bearer: [] }, { session: [] }] as const;

export const noContent = { type: 'null', description: 'No content' } as const;
