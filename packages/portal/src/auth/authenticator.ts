import { secretsEqual } from '../crypto/hashing.ts';
import { CsrfError, InvalidTokenError, UnauthenticatedError } from '../errors.ts';
import type { PatService } from '../pats/pat-service.ts';
import type { Principal } from '../permissions/principal.ts';
import type { WorkspaceRecord, WorkspaceRoleStorage } from '../storage/storage.ts';
import type { StreamingTokenService } from '../tokens/streaming-token-service.ts';
import type { ClientInfo } from '../tokens/usage-recorder.ts';
import type { Session, SessionService } from './session-service.ts';

export interface Credentials {
  authorization: string | undefined;
  sessionCookie: string | undefined;
  csrfHeader: string | undefined;
  /** Writes by cookie need the CSRF token; reads do not. */
  unsafeMethod: boolean;
  client: ClientInfo;
  /** The connection the request came over (see StreamingTokenService.authenticate). */
  connection?: object;
}

export interface Authenticated {
  principal: Principal;
  session: Session | null;
  /**
   * The workspace a streaming token belongs to, read with the token: the authorization gate
   * takes it instead of reading it again. Absent for people.
   */
  workspace?: WorkspaceRecord;
}

/**
 * Turns what a request presents into a principal. A bearer token wins over a cookie (scripts
 * never carry CSRF tokens); the user's roles are read fresh every time, so a demotion or a
 * revocation applies to the very next request, on every instance.
 */
export function createAuthenticator(deps: {
  store: WorkspaceRoleStorage;
  sessions: SessionService;
  streamingTokens: StreamingTokenService;
  pats: PatService;
}) {
  const { store, sessions, streamingTokens, pats } = deps;

  return async function authenticate(credentials: Credentials): Promise<Authenticated> {
    if (credentials.authorization !== undefined) {
      const match = /^Bearer +(\S+) *$/i.exec(credentials.authorization);
      if (!match) throw new InvalidTokenError('The Authorization header must be "Bearer <token>".');
      const token = match[1]!;
      if (token.startsWith('sgs_')) {
        const { principal, workspace } = await streamingTokens.authenticate(
          token,
          credentials.client,
          credentials.connection,
        );
        return { principal, session: null, workspace };
      }
      if (token.startsWith('sgp_')) return { principal: await pats.authenticate(token), session: null };
      throw new InvalidTokenError(
        'Unrecognised token: expected a streaming token (sgs_...) or a personal access token (sgp_...).',
      );
    }
    if (credentials.sessionCookie !== undefined) {
      const session = await sessions.resolve(credentials.sessionCookie);
      if (!session) throw new UnauthenticatedError('Your session has expired; log in again.');
      if (
        credentials.unsafeMethod &&
        !(credentials.csrfHeader && secretsEqual(credentials.csrfHeader, session.csrfToken))
      ) {
        throw new CsrfError();
      }
      const user = session.user;
      return {
        principal: {
          kind: 'user',
          userId: user.id,
          email: user.email,
          organisationRole: user.organisationRole,
          workspaceRoles: await store.workspaceRolesOf(user.id),
          via: 'session',
          pat: null,
        },
        session,
      };
    }
    throw new UnauthenticatedError();
  };
}

export type Authenticate = ReturnType<typeof createAuthenticator>;
