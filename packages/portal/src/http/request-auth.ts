import type {} from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticate, Authenticated } from '../auth/authenticator.ts';
import type { Principal, StreamingPrincipal, UserPrincipal } from '../permissions/principal.ts';
import type { ClientInfo } from '../tokens/usage-recorder.ts';

export const sessionCookieName = 'sg_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: Authenticated | null;
  }
  interface FastifyContextConfig {
    /**
     * 'none': the route authenticates by itself or not at all; 'optional': a caller who presents
     * valid credentials is known, anyone else is anonymous (never refused). Default: required.
     */
    auth?: 'required' | 'optional' | 'none';
  }
}

export function clientOf(request: FastifyRequest): ClientInfo {
  const deployment = request.headers['x-deployment-id'];
  return {
    userAgent: String(request.headers['user-agent'] ?? 'unknown'),
    address: request.ip,
    deploymentId: typeof deployment === 'string' && deployment.length > 0 ? deployment : null,
  };
}

/** Authenticates every route unless it opts out; the principal is then `principalOf(request)`. */
export function registerAuthentication(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (request) => {
    const mode = request.routeOptions.config.auth ?? 'required';
    if (mode === 'none') return;
    if (mode === 'optional') {
      const { headers } = request;
      if (headers.authorization === undefined && request.cookies[sessionCookieName] === undefined) return;
      request.auth = await authenticate(credentialsOf(request)).catch(() => null);
      return;
    }
    request.auth = await authenticate(credentialsOf(request));
  });
}

function credentialsOf(request: FastifyRequest) {
  const { method, headers } = request; // Node gives the method upper-case
  return {
    authorization: headers.authorization,
    sessionCookie: request.cookies[sessionCookieName],
    csrfHeader: typeof headers['x-csrf-token'] === 'string' ? headers['x-csrf-token'] : undefined,
    unsafeMethod: method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS',
    client: clientOf(request),
    connection: request.raw.socket,
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.auth) throw new TypeError('principalOf() on a route without authentication');
  return request.auth.principal;
}

/** The person behind a route whose access only people have (the gate refused everyone else). */
export function userOf(request: FastifyRequest): UserPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'user') throw new TypeError('userOf() on a route that a streaming token reached');
  return principal;
}

/** The token the caller presented as `Authorization: Bearer`, for routes that hand it back. */
export function bearerTokenOf(request: FastifyRequest): string {
  const presented = /^Bearer +(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
  if (presented === undefined) throw new TypeError('bearerTokenOf() on a request without a bearer token');
  return presented;
}

/** The streaming token behind a route only streaming tokens may use (the gate refused everyone else). */
export function streamingPrincipalOf(request: FastifyRequest): StreamingPrincipal {
  const principal = principalOf(request);
  if (principal.kind !== 'streaming')
    throw new TypeError('streamingPrincipalOf() on a route a person reached');
  return principal;
}
