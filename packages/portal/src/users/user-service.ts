import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import { hashPassword } from '../crypto/password.ts';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { can } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';
import type { Role } from '../permissions/roles.ts';
import type { Store, UserRecord } from '../storage/storage.ts';
import { emailProblem, normaliseEmail, passwordProblem } from './user-rules.ts';

export interface UserService {
  list(principal: Principal): Promise<UserRecord[]>;
  create(
    principal: Principal,
    input: { email: string; password: string; name?: string; role?: Role },
    address: string | null,
  ): Promise<UserRecord>;
  update(
    principal: Principal,
    userId: string,
    changes: { name?: string; role?: Role },
    address: string | null,
  ): Promise<UserRecord>;
  /** The first admin of a new database; returns the generated password when none was given. */
  bootstrapAdmin(
    email: string | null,
    password: string | null,
  ): Promise<{ email: string; generatedPassword: string | null } | null>;
}

export function createUserService(deps: { store: Store; clock: Clock; audit: AuditLog }): UserService {
  const { store, clock, audit } = deps;

  const authorize = (principal: Principal, action: 'users.read' | 'users.write') => {
    const decision = can(principal, action);
    if (!decision.allowed) throw new ForbiddenError(decision.reason);
  };

  const insert = async (input: { email: string; password: string; name?: string; role?: Role }) => {
    const email = normaliseEmail(input.email);
    const problem = emailProblem(email) ?? passwordProblem(input.password);
    if (problem) throw new BadRequestError(problem);
    if (await store.findUserByEmail(email))
      throw new ConflictError(`A user with email ${email} already exists.`);
    const user: UserRecord = {
      id: `u-${randomId()}`,
      email,
      name: input.name?.trim() || email.split('@')[0]!,
      passwordHash: await hashPassword(input.password),
      organisationRole: input.role ?? 'None',
      createdAt: clock.now(),
      disabledAt: null,
    };
    await store.createUser(user);
    return user;
  };

  return {
    async list(principal) {
      authorize(principal, 'users.read');
      return store.listUsers();
    },
    async create(principal, input, address) {
      authorize(principal, 'users.write');
      const user = await insert(input);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'user.create',
        target: user.email,
        details: { userId: user.id, role: user.organisationRole },
        address,
      });
      return user;
    },
    async update(principal, userId, changes, address) {
      authorize(principal, 'users.write');
      const before = await store.findUserById(userId);
      if (!before) throw new NotFoundError(`User '${userId}' does not exist.`);
      if (
        principal.kind === 'user' &&
        principal.userId === userId &&
        changes.role &&
        changes.role !== 'Admin'
      ) {
        throw new BadRequestError('You cannot remove your own Admin role; ask another Admin.');
      }
      const after = await store.updateUser(userId, {
        name: changes.name?.trim(),
        organisationRole: changes.role,
      });
      if (!after) throw new NotFoundError(`User '${userId}' does not exist.`);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'user.update',
        target: after.email,
        details: {
          userId,
          ...(changes.role ? { from: before.organisationRole, to: after.organisationRole } : {}),
        },
        address,
      });
      return after;
    },
    async bootstrapAdmin(email, password) {
      if ((await store.countUsers()) > 0) return null;
      const generatedPassword = password ? null : randomBytes(18).toString('base64url');
      const admin = await insert({
        email: email ?? 'admin@localhost',
        password: password ?? generatedPassword!,
        name: 'Administrator',
        role: 'Admin',
      });
      return { email: admin.email, generatedPassword };
    },
  };
}
