import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusByCode, PortalError, RateLimitedError } from '../errors.ts';

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
    if (status >= 500) request.log.error({ err: error, correlationId }, 'request failed');
    void reply.status(status).send({ message: error.message, correlationId, code: error.code });
    return;
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    void reply
      .status(400)
      .send({ message: validationMessage(fastifyError), correlationId, code: 'PORTAL_BAD_REQUEST' });
    return;
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    void reply.status(status).send({
      message: fastifyMessage(fastifyError),
      correlationId,
      code: status === 413 ? 'PORTAL_PAYLOAD_TOO_LARGE' : 'PORTAL_BAD_REQUEST',
    });
    return;
  }
  request.log.error({ err: error, correlationId }, 'unexpected error');
  void reply.status(500).send({
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
    default:
      return error.message.startsWith('Unexpected') || error.message.includes('JSON')
        ? 'The request body is not valid JSON.'
        : error.message;
  }
}
