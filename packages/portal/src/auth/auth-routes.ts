import { loginSchema, logoutSchema, meSchema, tokenDetailsSchema } from '@streamgate/contract';
import { BadRequestError, UnauthenticatedError } from '../errors.ts';
import type { PortalApp } from '../http/portal-app.ts';
import { principalOf, sessionCookieName } from '../http/request-auth.ts';
import type { PatService } from '../pats/pat-service.ts';
import type { UserRecord } from '../storage/storage.ts';
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
  app: PortalApp,
  deps: { sessions: SessionService; pats: PatService; secureCookies: boolean },
): void {
  const { sessions, pats } = deps;

  app.post('/auth/login', { schema: loginSchema, config: { auth: 'none' } }, async (request, reply) => {
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
  });

  app.post(
    '/auth/logout',
    { schema: logoutSchema, config: { access: 'authenticated' } },
    async (request, reply) => {
      const cookie = request.cookies[sessionCookieName];
      if (cookie) await sessions.logout(cookie, request.ip);
      void reply.clearCookie(sessionCookieName, { path: '/' });
      return reply.status(204).send();
    },
  );

  app.get('/auth/me', { schema: meSchema, config: { access: 'authenticated' } }, async (request) => {
    const session = request.auth?.session;
    if (!session)
      throw new UnauthenticatedError(
        '/auth/me describes a browser session; use /auth/token/details for tokens.',
      );
    return { user: userJson(session.user), csrfToken: session.csrfToken };
  });

  app.get(
    '/auth/token/details',
    { schema: tokenDetailsSchema, config: { access: 'authenticated' } },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind === 'streaming') {
        return { kind: 'streaming' as const, workspaceId: principal.workspaceId, tokenId: principal.tokenId };
      }
      if (!principal.pat)
        return { kind: 'session' as const, userId: principal.userId, email: principal.email };
      const pat = await pats.get(principal, principal.pat.patId);
      return {
        kind: 'pat' as const,
        userId: principal.userId,
        email: principal.email,
        tokenId: principal.pat.patId,
        expiresAt: pat?.expiresAt,
        workspaces: principal.pat.workspaces ? [...principal.pat.workspaces] : null,
        readOnly: principal.pat.readOnly,
      };
    },
  );
}
