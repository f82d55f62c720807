import { tokenSchema } from '@streamgate/contract';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { PortalApp } from '../http/portal-app.ts';
import { clientOf } from '../http/request-auth.ts';
import type { BrokerTokenService } from './broker-token-service.ts';
import { readClientCredentials } from './client-credentials.ts';
import { OAuthError } from './oauth-errors.ts';

/** Every failure here speaks RFC 6749 (`{"error", "error_description"}`), never the portal's error shape. */
function sendOAuthError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let oauth: OAuthError;
  if (error instanceof OAuthError) oauth = error;
  else if ((error as FastifyError).statusCode === 413)
    oauth = new OAuthError('invalid_request', 'The request body is too large.', 413);
  else if ((error as FastifyError).statusCode === 415) {
    oauth = new OAuthError('invalid_request', 'Send the grant as application/x-www-form-urlencoded.', 415);
  } else if ((error as FastifyError).statusCode !== undefined && (error as FastifyError).statusCode! < 500) {
    oauth = new OAuthError('invalid_request', 'The token request is malformed.');
  } else {
    request.log.error({ err: error, correlationId: request.id }, 'token endpoint failed');
    return reply
      .status(500)
      .header('cache-control', 'no-store')
      .send({ error: 'server_error', error_description: `Internal error (correlation id ${request.id}).` });
  }
  if (oauth.status === 401)
    void reply.header('www-authenticate', 'Basic realm="streamgate", charset="UTF-8"');
  if (oauth.retryAfterSeconds !== null) void reply.header('retry-after', String(oauth.retryAfterSeconds));
  return reply
    .status(oauth.status)
    .header('cache-control', 'no-store')
    .send({ error: oauth.error, error_description: oauth.message });
}

export function registerOAuthTokenRoutes(app: PortalApp, deps: { brokerTokens: BrokerTokenService }): void {
  app.post(
    '/oauth/token',
    { schema: tokenSchema, config: { auth: 'none' }, errorHandler: sendOAuthError, bodyLimit: 8 * 1024 },
    async (request, reply) => {
      if (!String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        throw new OAuthError('invalid_request', 'Send the grant as application/x-www-form-urlencoded.');
      }
      const form = (request.body ?? {}) as Record<string, unknown>;
      const credentials = readClientCredentials(request.headers.authorization, form);
      if (form.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required.');
      if (form.grant_type !== 'client_credentials') {
        throw new OAuthError('unsupported_grant_type', 'Only grant_type=client_credentials is supported.');
      }
      const token = await deps.brokerTokens.mint(credentials, clientOf(request), request.raw.socket);
      return reply
        .header('cache-control', 'no-store')
        .header('pragma', 'no-cache')
        .send({ access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn });
    },
  );
}
