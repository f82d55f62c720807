import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import { JwtError } from '../crypto/jwt.ts';
import {
  BadRequestError,
  InvalidTokenError,
  NotFoundError,
  TokenRevokedError,
  workspaceNotFound,
} from '../errors.ts';
import { canSeeWorkspace } from '../permissions/permissions.ts';
import type { UserPrincipal } from '../permissions/principal.ts';
import type { PatRecord, PatStorage, WorkspaceStorage } from '../storage/storage.ts';
import { patExpiryProblem, patNameProblem, patPrefix } from './pat-rules.ts';

interface JwtIssuer {
  sign(claims: { sub: string; jti: string }, ttlSeconds: number): Promise<{ jwt: string }>;
}
interface JwtChecker {
  check(jwt: string): Promise<{ sub: string; jti?: string }>;
}

export interface PatService {
  list(user: UserPrincipal): Promise<PatRecord[]>;
  /** One of the user's own tokens; null when it is not theirs or does not exist. */
  get(user: UserPrincipal, id: string): Promise<PatRecord | null>;
  create(
    user: UserPrincipal,
    input: { name: string; expiresAt: string; workspaces?: string[] | null; readOnly?: boolean },
    address: string | null,
  ): Promise<{ pat: PatRecord; token: string }>;
  revoke(user: UserPrincipal, id: string, address: string | null): Promise<void>;
  /** Verifies a presented `sgp_...` token and returns its owner as a narrowed principal. */
  authenticate(presented: string): Promise<UserPrincipal>;
}

export function createPatService(deps: {
  store: PatStorage & WorkspaceStorage;
  clock: Clock;
  audit: AuditLog;
  issuer: JwtIssuer;
  checker: JwtChecker;
}): PatService {
  const { store, clock, audit } = deps;

  return {
    async list(user) {
      return store.listPats(user.userId);
    },

    async get(user, id) {
      const pat = await store.findPat(id);
      return pat?.userId === user.userId ? pat : null;
    },

    async create(user, input, address) {
      const now = clock.now();
      const expiresAt = new Date(input.expiresAt);
      const problem = patNameProblem(input.name) ?? patExpiryProblem(expiresAt, now);
      if (problem) throw new BadRequestError(problem);
      const workspaces = input.workspaces ?? null;
      if (workspaces !== null) {
        if (workspaces.length === 0)
          throw new BadRequestError('Narrow to at least one workspace, or leave workspaces out for all.');
        for (const workspaceId of new Set(workspaces)) {
          if (!(await store.findWorkspace(workspaceId)) || !canSeeWorkspace(user, workspaceId)) {
            throw new BadRequestError(workspaceNotFound(workspaceId).message);
          }
        }
      }
      const pat: PatRecord = {
        id: `pat-${randomId()}`,
        userId: user.userId,
        name: input.name.trim(),
        createdAt: now,
        expiresAt,
        workspaces: workspaces ? [...new Set(workspaces)].sort() : null,
        readOnly: input.readOnly ?? false,
        lastUsedAt: null,
        revokedAt: null,
      };
      await store.createPat(pat);
      const ttlSeconds = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
      const { jwt } = await deps.issuer.sign({ sub: user.userId, jti: pat.id }, ttlSeconds);
      await audit.record({
        actor: { kind: 'principal', principal: user },
        action: 'pat.create',
        target: pat.id,
        details: {
          name: pat.name,
          expiresAt: pat.expiresAt.toISOString(),
          workspaces: pat.workspaces,
          readOnly: pat.readOnly,
        },
        address,
      });
      return { pat, token: `${patPrefix}${jwt}` };
    },

    async revoke(user, id, address) {
      if (!(await store.revokePat(user.userId, id, clock.now()))) {
        throw new NotFoundError(`You have no active personal access token '${id}'.`);
      }
      await audit.record({
        actor: { kind: 'principal', principal: user },
        action: 'pat.revoke',
        target: id,
        address,
      });
    },

    async authenticate(presented) {
      if (!presented.startsWith(patPrefix)) throw new InvalidTokenError('Invalid personal access token.');
      let claims: { sub: string; jti?: string };
      try {
        claims = await deps.checker.check(presented.slice(patPrefix.length));
      } catch (error) {
        if (error instanceof JwtError) {
          throw new InvalidTokenError(`Invalid personal access token. ${error.message}`);
        }
        throw error;
      }
      // The database, not the JWT, is the truth: revocation and the owner's current roles apply
      // at once. One read brings the PAT, its owner and the owner's roles.
      const found = claims.jti ? await store.findPatAuthentication(claims.jti) : null;
      if (!found || found.pat.userId !== claims.sub)
        throw new InvalidTokenError('Invalid personal access token: unknown token.');
      const { pat, owner, workspaceRoles } = found;
      if (pat.revokedAt) throw new TokenRevokedError('This personal access token was revoked.');
      const now = clock.now();
      if (pat.expiresAt.getTime() <= now.getTime())
        throw new InvalidTokenError('Invalid personal access token: it has expired.');
      if (owner.disabledAt)
        throw new TokenRevokedError('This personal access token belongs to a disabled user.');
      // Last-used is informational: at most one write a minute per token.
      if (!pat.lastUsedAt || now.getTime() - pat.lastUsedAt.getTime() > 60_000)
        await store.touchPat(pat.id, now);
      return {
        kind: 'user',
        userId: owner.id,
        email: owner.email,
        organisationRole: owner.organisationRole,
        workspaceRoles,
        via: 'pat',
        pat: { patId: pat.id, workspaces: pat.workspaces, readOnly: pat.readOnly },
      };
    },
  };
}
