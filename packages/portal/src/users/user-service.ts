import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { LoginThrottle } from '../auth/login-throttle.ts';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import { hashPassword, verifyPassword } from '../crypto/password.ts';
import type { PasswordSlots } from '../crypto/password-slots.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import type { Principal, UserPrincipal } from '../permissions/principal.ts';
import type { Role } from '../permissions/roles.ts';
import type { UserChangeOutcome, UserRecord, UserStorage, WorkspaceRoleStorage } from '../storage/storage.ts';
import { emailProblem, normaliseEmail, passwordProblem } from './user-rules.ts';

export interface UserChanges {
  name?: string;
  role?: Role;
  disabled?: boolean;
  /** With a demotion to `None`: keep the user's workspace overrides (they are removed by default). */
  keepWorkspaceRoles?: boolean;
}

export interface UserService {
  list(): Promise<UserRecord[]>;
  create(
    principal: Principal,
    input: { email: string; password: string; name?: string; role?: Role },
    address: string | null,
  ): Promise<UserRecord>;
  update(
    principal: Principal,
    userId: string,
    changes: UserChanges,
    address: string | null,
  ): Promise<UserRecord>;
  remove(principal: Principal, userId: string, address: string | null): Promise<void>;
  /** The caller's own password; every other session of the caller ends. `keepSession`: an id hash. */
  changePassword(
    user: UserPrincipal,
    input: { currentPassword: string; newPassword: string },
    keepSession: string | null,
    address: string,
  ): Promise<void>;
  /** The first admin of a new database; returns the generated password when none was given. */
  bootstrapAdmin(
    email: string | null,
    password: string | null,
  ): Promise<{ email: string; generatedPassword: string | null } | null>;
}

export function createUserService(deps: {
  store: UserStorage & WorkspaceRoleStorage;
  clock: Clock;
  audit: AuditLog;
  throttle: LoginThrottle;
  passwordSlots: PasswordSlots;
}): UserService {
  const { store, clock, audit } = deps;

  const isSelf = (principal: Principal, userId: string): principal is UserPrincipal =>
    principal.kind === 'user' && principal.userId === userId;
  const refuse = (outcome: UserChangeOutcome, userId: string, doing: string): void => {
    if (outcome === 'not-found') throw new NotFoundError(`User '${userId}' does not exist.`);
    if (outcome === 'last-admin')
      throw new ConflictError(
        `Cannot ${doing} user '${userId}': it is the last enabled organisation Admin; make another Admin first.`,
      );
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
    async list() {
      return store.listUsers();
    },
    async create(principal, input, address) {
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
      const before = await store.findUserById(userId);
      if (!before) throw new NotFoundError(`User '${userId}' does not exist.`);
      if (isSelf(principal, userId) && changes.role && changes.role !== 'Admin') {
        throw new BadRequestError('You cannot remove your own Admin role; ask another Admin.');
      }
      if (isSelf(principal, userId) && changes.disabled) {
        throw new BadRequestError('You cannot disable yourself; ask another Admin.');
      }
      if (changes.keepWorkspaceRoles !== undefined && changes.role !== 'None') {
        throw new BadRequestError('keepWorkspaceRoles goes with "role": "None" only.');
      }
      const demotedToNone = changes.role === 'None' && before.organisationRole !== 'None';
      const clearWorkspaceRoles = demotedToNone && !changes.keepWorkspaceRoles;
      const clearedWorkspaces = clearWorkspaceRoles ? [...(await store.workspaceRolesOf(userId)).keys()] : [];
      if (changes.disabled !== undefined && changes.disabled !== (before.disabledAt !== null)) {
        // First, so that a refused disable (the last Admin) changes nothing else either.
        const outcome = await store.setUserDisabled(userId, changes.disabled ? clock.now() : null);
        refuse(outcome, userId, 'disable');
      }
      const after =
        changes.name !== undefined || changes.role !== undefined
          ? await store.updateUser(userId, {
              name: changes.name?.trim(),
              organisationRole: changes.role,
              clearWorkspaceRoles,
            })
          : await store.findUserById(userId);
      if (!after) throw new NotFoundError(`User '${userId}' does not exist.`);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'user.update',
        target: after.email,
        details: {
          userId,
          ...(changes.role ? { from: before.organisationRole, to: after.organisationRole } : {}),
          ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
          ...(clearWorkspaceRoles ? { removedWorkspaceRoles: clearedWorkspaces } : {}),
        },
        address,
      });
      return after;
    },
    async remove(principal, userId, address) {
      if (isSelf(principal, userId))
        throw new BadRequestError('You cannot delete yourself; ask another Admin.');
      const before = await store.findUserById(userId);
      if (!before) throw new NotFoundError(`User '${userId}' does not exist.`);
      refuse(await store.deleteUser(userId), userId, 'delete');
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'user.delete',
        target: before.email,
        details: { userId, role: before.organisationRole },
        address,
      });
    },
    async changePassword(principal, input, keepSession, address) {
      const user = await store.findUserById(principal.userId);
      if (!user) throw new NotFoundError('Your user no longer exists.');
      const problem = passwordProblem(input.newPassword);
      if (problem) throw new BadRequestError(`newPassword: ${problem}`);
      // The same throttle as logins: a stolen session must not become a password oracle.
      const attempt = deps.throttle.begin(user.email, address);
      const ok = await deps.passwordSlots.run(() => verifyPassword(input.currentPassword, user.passwordHash));
      if (!ok) throw new BadRequestError('currentPassword is not your current password.');
      attempt.succeeded();
      await store.changePassword(user.id, await hashPassword(input.newPassword), keepSession);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'user.password_change',
        target: user.email,
        details: { userId: user.id },
        address,
      });
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
