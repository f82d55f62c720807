import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomToken, sha256Hex } from '../crypto/hashing.ts';
import { dummyPasswordHash, verifyPassword } from '../crypto/password.ts';
import { RateLimitedError, UnauthenticatedError } from '../errors.ts';
import type { Store, UserRecord } from '../storage/storage.ts';
import { normaliseEmail } from '../users/user-rules.ts';
import type { AttemptLimiter } from './attempt-limiter.ts';

export interface Session {
  user: UserRecord;
  csrfToken: string;
}

export interface SessionService {
  /** Returns the cookie value (the only place the session secret exists) and the session. */
  login(email: string, password: string, address: string): Promise<{ cookieValue: string; session: Session }>;
  logout(cookieValue: string): Promise<void>;
  resolve(cookieValue: string): Promise<Session | null>;
}

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export function createSessionService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditLog;
  limiter: AttemptLimiter;
}): SessionService {
  const { store, clock, audit, limiter } = deps;
  return {
    async login(rawEmail, password, address) {
      const email = normaliseEmail(rawEmail);
      // Keyed by account and by address: one guesser cannot lock everyone out, nor spray one account.
      const keys = [`email:${email}`, `address:${address}`];
      const wait = Math.max(...keys.map((key) => limiter.retryAfter(key)));
      if (wait > 0) throw new RateLimitedError(`Too many failed logins; try again in ${wait} seconds.`, wait);
      const user = await store.findUserByEmail(email);
      // Verify against a dummy hash for unknown emails, so timing does not reveal which exist.
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
      if (!user || !ok) {
        for (const key of keys) limiter.hit(key);
        await audit.record({
          actor: { kind: 'anonymous', label: email },
          action: 'auth.login_failed',
          address,
        });
        throw new UnauthenticatedError('Invalid email or password.');
      }
      limiter.reset(`email:${email}`);
      const cookieValue = randomToken(32);
      const now = clock.now();
      const csrfToken = randomToken(24);
      await store.createSession({
        idHash: sha256Hex(cookieValue),
        userId: user.id,
        csrfToken,
        createdAt: now,
        expiresAt: new Date(now.getTime() + sessionLifetimeMs),
      });
      await audit.record({
        actor: {
          kind: 'principal',
          principal: {
            kind: 'user',
            userId: user.id,
            email: user.email,
            organisationRole: user.organisationRole,
            workspaceRoles: new Map(),
            via: 'session',
            pat: null,
          },
        },
        action: 'auth.login',
        address,
      });
      return { cookieValue, session: { user, csrfToken } };
    },
    async logout(cookieValue) {
      await store.deleteSession(sha256Hex(cookieValue));
    },
    async resolve(cookieValue) {
      const record = await store.findSession(sha256Hex(cookieValue));
      if (!record || record.expiresAt.getTime() <= clock.now().getTime()) return null;
      const user = await store.findUserById(record.userId);
      return user ? { user, csrfToken: record.csrfToken } : null;
    },
  };
}
