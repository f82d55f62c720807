import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomToken, sha256Hex } from '../crypto/hashing.ts';
import { dummyPasswordHash, verifyPassword } from '../crypto/password.ts';
import type { PasswordSlots } from '../crypto/password-slots.ts';
import { UnauthenticatedError } from '../errors.ts';
import type { Principal } from '../permissions/principal.ts';
import type { SessionStorage, UserRecord, UserStorage } from '../storage/storage.ts';
import { normaliseEmail } from '../users/user-rules.ts';
import type { LoginThrottle } from './login-throttle.ts';

export interface Session {
  user: UserRecord;
  csrfToken: string;
}

export interface SessionService {
  /** Returns the cookie value (the only place the session secret exists) and the session. */
  login(email: string, password: string, address: string): Promise<{ cookieValue: string; session: Session }>;
  /** Ends the session (audited when it was one). */
  logout(cookieValue: string, address: string | null): Promise<void>;
  resolve(cookieValue: string): Promise<Session | null>;
}

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export function createSessionService(deps: {
  store: SessionStorage & UserStorage;
  clock: Clock;
  audit: AuditLog;
  throttle: LoginThrottle;
  passwordSlots: PasswordSlots;
}): SessionService {
  const { store, clock, audit, throttle, passwordSlots } = deps;
  const sessionPrincipal = (user: UserRecord): Principal => ({
    kind: 'user',
    userId: user.id,
    email: user.email,
    organisationRole: user.organisationRole,
    workspaceRoles: new Map(),
    via: 'session',
    pat: null,
  });
  return {
    async login(rawEmail, password, address) {
      const email = normaliseEmail(rawEmail);
      // Counted before the (slow) verification, so parallel guesses see each other.
      const attempt = throttle.begin(email, address);
      const user = await store.findUserByEmail(email);
      // Verify against a dummy hash for unknown emails, so timing does not reveal which exist.
      const stored = user?.passwordHash ?? (await dummyPasswordHash());
      const ok = await passwordSlots.run(() => verifyPassword(password, stored));
      if (!user || !ok) {
        await audit.record({
          actor: { kind: 'anonymous', label: email },
          action: 'auth.login_failed',
          address,
        });
        throw new UnauthenticatedError('Invalid email or password.');
      }
      attempt.succeeded();
      if (user.disabledAt) {
        await audit.record({
          actor: { kind: 'anonymous', label: email },
          action: 'auth.login_failed',
          details: { reason: 'disabled' },
          address,
        });
        throw new UnauthenticatedError('This account is disabled; ask an organisation Admin.');
      }
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
        actor: { kind: 'principal', principal: sessionPrincipal(user) },
        action: 'auth.login',
        address,
      });
      return { cookieValue, session: { user, csrfToken } };
    },
    async logout(cookieValue, address) {
      const idHash = sha256Hex(cookieValue);
      const record = await store.findSession(idHash);
      await store.deleteSession(idHash);
      const user = record ? await store.findUserById(record.userId) : null;
      if (user) {
        await audit.record({
          actor: { kind: 'principal', principal: sessionPrincipal(user) },
          action: 'auth.logout',
          address,
        });
      }
    },
    async resolve(cookieValue) {
      const record = await store.findSession(sha256Hex(cookieValue));
      if (!record || record.expiresAt.getTime() <= clock.now().getTime()) return null;
      const user = await store.findUserById(record.userId);
      return user && !user.disabledAt ? { user, csrfToken: record.csrfToken } : null;
    },
  };
}
