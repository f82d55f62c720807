import { workspaceIdProblem } from '@streamgate/contract';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import { canSeeWorkspace, userRoleIn } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';
import { effectiveRole, type Role } from '../permissions/roles.ts';
import type {
  UserRecord,
  UserStorage,
  WorkspacePurgeStorage,
  WorkspaceRecord,
  WorkspaceRoleStorage,
  WorkspaceStorage,
} from '../storage/storage.ts';
import type { StreamingTokenService } from '../tokens/streaming-token-service.ts';
import { prefixCollision } from './workspace-id.ts';
import type { PurgeReport } from './workspace-purge.ts';

export interface WorkspaceView extends WorkspaceRecord {
  /** The caller's effective role, for humans. */
  role: Role | null;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  organisationRole: Role;
  workspaceRole: Role | null;
  effectiveRole: Role;
}

export interface WorkspaceService {
  list(principal: Principal): Promise<WorkspaceView[]>;
  /** A workspace the caller may see (the authorization gate found it), with the caller's role. */
  view(principal: Principal, workspace: WorkspaceRecord): WorkspaceView;
  create(
    principal: Principal,
    input: { workspaceId: string; name: string },
    address: string | null,
  ): Promise<WorkspaceView>;
  /** Deletes the workspace and makes a first attempt at its Kafka data (retried until gone). */
  remove(principal: Principal, workspaceId: string, address: string | null): Promise<PurgeReport>;
  members(workspaceId: string): Promise<Member[]>;
  setMemberRole(
    principal: Principal,
    workspaceId: string,
    userId: string,
    role: Role,
    address: string | null,
  ): Promise<Member>;
  resetMemberRole(
    principal: Principal,
    workspaceId: string,
    userId: string,
    address: string | null,
  ): Promise<Member>;
  /** Called after workspaces appear or disappear, so the broker's ACLs follow. */
  onChanged(listener: () => void): void;
  /** Creates a workspace without a caller (the first-run `dev` workspace). */
  ensureWorkspace(workspaceId: string, name: string): Promise<void>;
}

function toMember(user: UserRecord, workspaceRole: Role | null): Member {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    organisationRole: user.organisationRole,
    workspaceRole,
    effectiveRole: effectiveRole(user.organisationRole, workspaceRole ?? undefined),
  };
}

export function createWorkspaceService(deps: {
  store: WorkspaceStorage & WorkspacePurgeStorage & WorkspaceRoleStorage & UserStorage;
  clock: Clock;
  audit: AuditLog;
  tokens: StreamingTokenService;
  /** One purge attempt of a deleted workspace's Kafka data (workspace-purge.ts). */
  purgeKafkaData: (workspaceId: string) => Promise<PurgeReport>;
}): WorkspaceService {
  const { store, clock, audit, tokens } = deps;
  const listeners: (() => void)[] = [];
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const viewOf = (principal: Principal, workspace: WorkspaceRecord): WorkspaceView => ({
    ...workspace,
    role: principal.kind === 'user' ? userRoleIn(principal, workspace.workspaceId) : null,
  });

  const stillPurging = (workspaceId: string, reserved: string) =>
    new ConflictError(
      `Workspace id '${workspaceId}' is reserved: the deleted workspace '${reserved}' still has Kafka data (topics, consumer groups or transactional ids) being removed. Try again later.`,
    );

  const insert = async (workspaceId: string, name: string) => {
    const problem = workspaceIdProblem(workspaceId);
    if (problem) throw new BadRequestError(problem);
    if (name.trim().length === 0 || name.length > 100)
      throw new BadRequestError('A workspace name has 1 to 100 characters.');
    const existing = (await store.listWorkspaces()).map((w) => w.workspaceId);
    if (existing.includes(workspaceId)) throw new ConflictError(`Workspace '${workspaceId}' already exists.`);
    // A deleted workspace's id (and every id overlapping it) stays reserved until its Kafka
    // data is gone, so no new workspace inherits its topics, groups or transactional ids.
    const purging = (await store.listWorkspacePurges()).map((p) => p.workspaceId);
    const reserved = purging.includes(workspaceId) ? workspaceId : prefixCollision(workspaceId, purging);
    if (reserved) throw stillPurging(workspaceId, reserved);
    const overlap = (collision: string) =>
      new BadRequestError(
        `Workspace id '${workspaceId}' overlaps '${collision}': Kafka topics, groups and ACLs are prefixed '{workspaceId}-', so one id must not start with another followed by '-'.`,
      );
    const collision = prefixCollision(workspaceId, existing);
    if (collision) throw overlap(collision);
    const workspace = { workspaceId, name: name.trim(), createdAt: clock.now() };
    if (!(await store.createWorkspace({ workspace, tokens: tokens.newPair(workspaceId) }))) {
      throw new ConflictError(`Workspace '${workspaceId}' already exists.`);
    }
    // An overlapping id created meanwhile (another request or instance) passed the same check:
    // look again now that ours is in, and withdraw ours. Both may withdraw; neither overlap stays.
    const late = prefixCollision(
      workspaceId,
      (await store.listWorkspaces()).map((w) => w.workspaceId),
    );
    const latePurge = (await store.listWorkspacePurges())
      .map((p) => p.workspaceId)
      .find((id) => id === workspaceId || prefixCollision(workspaceId, [id]));
    if (late || latePurge) {
      await store.deleteWorkspace(workspaceId);
      throw late ? overlap(late) : stillPurging(workspaceId, latePurge!);
    }
    changed();
    return workspace;
  };

  const member = async (workspaceId: string, userId: string): Promise<Member> => {
    const user = await store.findUserById(userId);
    if (!user) throw new NotFoundError(`User '${userId}' does not exist.`);
    return toMember(user, (await store.workspaceRolesOf(userId)).get(workspaceId) ?? null);
  };

  return {
    async list(principal) {
      const all = await store.listWorkspaces();
      return all.filter((w) => canSeeWorkspace(principal, w.workspaceId)).map((w) => viewOf(principal, w));
    },
    view: viewOf,
    async create(principal, input, address) {
      const workspace = await insert(input.workspaceId, input.name);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'workspace.create',
        workspaceId: workspace.workspaceId,
        address,
      });
      return viewOf(principal, workspace);
    },
    async remove(principal, workspaceId, address) {
      await store.deleteWorkspace(workspaceId, { requestedAt: clock.now() });
      // The tokens' ACLs go first (the reconciler), then the data: nobody re-creates it meanwhile.
      changed();
      const report = await deps.purgeKafkaData(workspaceId);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'workspace.delete',
        workspaceId,
        details: { kafkaData: report },
        address,
      });
      return report;
    },
    async members(workspaceId) {
      const overrides = await store.listWorkspaceRoles(workspaceId);
      return (await store.listUsers()).map((user) => toMember(user, overrides.get(user.id) ?? null));
    },
    async setMemberRole(principal, workspaceId, userId, role, address) {
      const before = await member(workspaceId, userId);
      if (before.organisationRole === 'Admin') {
        throw new BadRequestError(
          'An organisation Admin is Admin in every workspace; change their organisation role first.',
        );
      }
      await store.setWorkspaceRole(workspaceId, userId, role);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'member.set',
        workspaceId,
        target: before.email,
        details: { userId, from: before.effectiveRole, to: role },
        address,
      });
      return member(workspaceId, userId);
    },
    async resetMemberRole(principal, workspaceId, userId, address) {
      const before = await member(workspaceId, userId);
      await store.removeWorkspaceRole(workspaceId, userId);
      const after = await member(workspaceId, userId);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'member.remove',
        workspaceId,
        target: before.email,
        details: { userId, from: before.effectiveRole, to: after.effectiveRole },
        address,
      });
      return after;
    },
    onChanged(listener) {
      listeners.push(listener);
    },
    async ensureWorkspace(workspaceId, name) {
      if (await store.findWorkspace(workspaceId)) return;
      try {
        await insert(workspaceId, name);
      } catch (error) {
        // Another instance created it first.
        if (!(error instanceof ConflictError)) throw error;
      }
    },
  };
}
