import type { ErrorCode } from '@streamgate/contract';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { MethodNotAllowedError, PortalError, RateLimitedError } from '../errors.ts';

/**
 * Each error code's HTTP status, the only such table. A broker that refused for a reason that is
 * not the caller's is a 502, not a 503: the portal (a gateway to Kafka here) got a definite "no"
 * from upstream, so retrying the same request will not help until an operator acts (a missing
 * permission of the portal's admin principal, topic deletion disabled). 503 stays reserved for
 * "unreachable or not ready, nothing was changed, retry later", which clients may retry on.
 */
export const httpStatusByCode: Record<ErrorCode, number> = {
  PORTAL_BAD_REQUEST: 400,
  PORTAL_UNAUTHENTICATED: 401,
  PORTAL_INVALID_TOKEN: 401,
  PORTAL_TOKEN_REVOKED: 401,
  PORTAL_FORBIDDEN: 403,
  PORTAL_CSRF: 403,
  PORTAL_NOT_FOUND: 404,
  PORTAL_METHOD_NOT_ALLOWED: 405,
  PORTAL_CONFLICT: 409,
  PORTAL_PAYLOAD_TOO_LARGE: 413,
  PORTAL_URI_TOO_LONG: 414,
  PORTAL_UNSUPPORTED_MEDIA_TYPE: 415,
  PORTAL_PRECONDITION_REQUIRED: 428,
  PORTAL_RATE_LIMITED: 429,
  PORTAL_INTERNAL: 500,
  PORTAL_BROKER_REFUSED: 502,
  PORTAL_BROKER_UNAVAILABLE: 503,
};

/** Fastify's own 4xx errors (body parsing, routing) under the portal's codes. */
const codeByFastifyStatus: Partial<Record<number, ErrorCode>> = {
  404: 'PORTAL_NOT_FOUND',
  405: 'PORTAL_METHOD_NOT_ALLOWED',
  413: 'PORTAL_PAYLOAD_TOO_LARGE',
  414: 'PORTAL_URI_TOO_LONG',
  415: 'PORTAL_UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The one place errors become HTTP answers: `{message, correlationId, code}`. A client's
 * mistake is a 4xx with a message that says what to fix; anything unexpected is a 500 with a
 * generic message, its details only in the log under the same correlation id.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  const correlationId = String(request.id);
  if (error instanceof PortalError) {
    const status = httpStatusByCode[error.code];
    if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    if (error instanceof MethodNotAllowedError) reply.header('allow', error.allow.join(', '));
    if (status >= 500) request.log.error({ err: error, correlationId }, 'request failed');
    void reply.status(status).send({ message: error.message, correlationId, code: error.code });
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    void reply
      .status(httpStatusByCode.PORTAL_BAD_REQUEST)
      .send({ message: validationMessage(fastifyError), correlationId, code: 'PORTAL_BAD_REQUEST' });
    return;
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    const code = codeByFastifyStatus[status] ?? 'PORTAL_BAD_REQUEST';
    void reply
      .status(httpStatusByCode[code])
      .send({ message: fastifyMessage(fastifyError), correlationId, code });
    return;
  }
  request.log.error({ err: error, correlationId }, 'unexpected error');
  void reply.status(httpStatusByCode.PORTAL_INTERNAL).send({
    message: `Something went wrong on our side; nothing you sent was at fault. Quote correlation id ${correlationId} when reporting it.`,
    correlationId,
    code: 'PORTAL_INTERNAL',
  });
}

function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const where = error.validationContext ?? 'request';
  if (!first) return `Invalid ${where}.`;
  const path = first.instancePath ? `${where}${first.instancePath.replaceAll('/', '.')}` : where;
  if (first.keyword === 'additionalProperties') {
    return `${path} has an unknown property '${String(first.params.additionalProperty)}'.`;
  }
  if (first.keyword === 'minLength')
    return `${path} must have at least ${String(first.params.limit)} characters.`;
  if (first.keyword === 'maxLength')
    return `${path} must have at most ${String(first.params.limit)} characters.`;
  return `${path} ${first.message ?? 'is invalid'}.`;
}

function fastifyMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type: send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty; send a JSON object.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The request body is not valid JSON.';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'A path segment is too long.';
    default:
      return error.message.startsWith('Unexpected') || error.message.includes('JSON')
        ? 'The request body is not valid JSON.'
        : error.message;
  }
}
