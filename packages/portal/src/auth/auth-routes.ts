import { loginSchema, logoutSchema, meSchema, tokenDetailsSchema } from '@streamgate/contract';
import type { FastifyInstance } from 'fastify';
import { BadRequestError, UnauthenticatedError } from '../errors.ts';
import { principalOf, sessionCookieName } from '../http/request-auth.ts';
import type { Store, UserRecord } from '../storage/storage.ts';
import { type SessionService, sessionLifetimeMs } from './session-service.ts';

export const userJson = (user: UserRecord) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  role: user.organisationRole,
  createdAt: user.createdAt,
  disabled: user.disabledAt !== null,
});

export function registerAuthRoutes(
  app: FastifyInstance,
  deps: { sessions: SessionService; store: Store; secureCookies: boolean },
): void {
  const { sessions, store } = deps;

  app.post<{ Body: { email: string; password: string } }>(
    '/auth/login',
    { schema: loginSchema, config: { auth: 'none' } },
    async (request, reply) => {
      // A cross-site HTML form posts form-encoded bodies without a CORS preflight: JSON only, so
      // that no other site can log a browser into an account of its choosing (login CSRF).
      if (
        !String(request.headers['content-type'] ?? '')
          .toLowerCase()
          .startsWith('application/json')
      ) {
        throw new BadRequestError('Send the credentials as application/json.');
      }
      const { cookieValue, session } = await sessions.login(
        request.body.email,
        request.body.password,
        request.ip,
      );
      void reply.setCookie(sessionCookieName, cookieValue, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: deps.secureCookies,
        maxAge: Math.floor(sessionLifetimeMs / 1000),
      });
      return { user: userJson(session.user), csrfToken: session.csrfToken };
    },
  );

  app.post('/auth/logout', { schema: logoutSchema }, async (request, reply) => {
    const cookie = request.cookies[sessionCookieName];
    if (cookie) await sessions.logout(cookie, request.ip);
    void reply.clearCookie(sessionCookieName, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/auth/me', { schema: meSchema }, async (request) => {
    const session = request.auth?.session;
    if (!session)
      throw new UnauthenticatedError(
        '/auth/me describes a browser session; use /auth/token/details for tokens.',
      );
    return { user: userJson(session.user), csrfToken: session.csrfToken };
  });

  app.get('/auth/token/details', { schema: tokenDetailsSchema }, async (request) => {
    const principal = principalOf(request);
    if (principal.kind === 'streaming') {
      return { kind: 'streaming', workspaceId: principal.workspaceId, tokenId: principal.tokenId };
    }
    if (!principal.pat) return { kind: 'session', userId: principal.userId, email: principal.email };
    const pat = await store.findPat(principal.pat.patId);
    return {
      kind: 'pat',
      userId: principal.userId,
      email: principal.email,
      tokenId: principal.pat.patId,
      expiresAt: pat?.expiresAt,
      workspaces: principal.pat.workspaces,
      readOnly: principal.pat.readOnly,
    };
  });
}
