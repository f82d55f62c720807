import type { Role } from '../permissions/roles.ts';
import type { PairRotation } from '../tokens/rotation.ts';
import type {
  AuditRecord,
  DeploymentObserved,
  DeploymentRecord,
  DeploymentSpec,
  PatRecord,
  RotationRunRecord,
  SessionRecord,
  SigningKeyRecord,
  StreamingTokenRecord,
  TokenUsageRecord,
  TopicConfiguration,
  TopicRecord,
  TopicStatus,
  UserRecord,
  WorkspacePurgeRecord,
  WorkspaceRecord,
} from './records.ts';

export type * from './records.ts';

/**
 * Storage by domain. Each service is handed the interfaces it uses; only the composition root
 * (portal.ts) and the tests hold a whole `Store`. SQLite and PostgreSQL implement every one, and
 * storage.contract.ts is the single suite both must pass. Methods that must be atomic are single
 * methods here, so that neither implementation has to hold a transaction open across awaits of
 * the caller.
 */

/** Why a change to a user was not made: no such user, or it would leave no enabled organisation Admin. */
export type UserChangeOutcome = 'done' | 'not-found' | 'last-admin';

export interface UserStorage {
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  /** `clearWorkspaceRoles`: the user's workspace overrides go in the same transaction. */
  updateUser(
    id: string,
    changes: { name?: string; organisationRole?: Role; clearWorkspaceRoles?: boolean },
  ): Promise<UserRecord | null>;
  countUsers(): Promise<number>;
  /**
   * Disables (a date) or enables (null) a user. Disabling deletes the user's sessions and revokes
   * its PATs in the same transaction, and is refused when it would leave no enabled Admin.
   */
  setUserDisabled(id: string, disabledAt: Date | null): Promise<UserChangeOutcome>;
  /** Deletes a user with its sessions, PATs and workspace roles; never the last enabled Admin. */
  deleteUser(id: string): Promise<UserChangeOutcome>;
  /** Sets a new password hash and deletes the user's sessions but `keepSession` (an id hash). */
  changePassword(id: string, passwordHash: string, keepSession: string | null): Promise<boolean>;
}

export interface SessionStorage {
  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;
}

/**
 * What authenticating a personal access token needs, read in one statement (every PAT request
 * does): the record, its owner, and the owner's workspace roles as they are now.
 */
export interface PatAuthentication {
  pat: PatRecord;
  owner: Pick<UserRecord, 'id' | 'email' | 'organisationRole' | 'disabledAt'>;
  workspaceRoles: Map<string, Role>;
}

/** Personal access tokens: the records only (the tokens themselves are JWTs, never stored). */
export interface PatStorage {
  createPat(pat: PatRecord): Promise<void>;
  findPat(id: string): Promise<PatRecord | null>;
  /** The PAT with its owner and the owner's roles; null when there is no such PAT. */
  findPatAuthentication(id: string): Promise<PatAuthentication | null>;
  listPats(userId: string): Promise<PatRecord[]>;
  revokePat(userId: string, id: string, at: Date): Promise<boolean>;
  touchPat(id: string, at: Date): Promise<void>;
}

export interface NewWorkspace {
  workspace: WorkspaceRecord;
  tokens: [StreamingTokenRecord, StreamingTokenRecord];
}

export interface WorkspaceStorage {
  /** Creates the workspace and its first token pair atomically; false when the id is taken. */
  createWorkspace(input: NewWorkspace): Promise<boolean>;
  findWorkspace(workspaceId: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  /**
   * Deletes the workspace with its tokens, roles, topics and deployments. With `purge`, a purge
   * of its Kafka data is queued in the same transaction, so no deleted workspace's topics,
   * groups or transactional ids are ever forgotten.
   */
  deleteWorkspace(workspaceId: string, purge?: { requestedAt: Date }): Promise<boolean>;
}

/** Deleted workspaces whose Kafka data is not gone yet: their ids stay reserved. */
export interface WorkspacePurgeStorage {
  listWorkspacePurges(): Promise<WorkspacePurgeRecord[]>;
  updateWorkspacePurge(workspaceId: string, report: string, updatedAt: Date): Promise<void>;
  /** The Kafka data is gone: the id is free again. */
  finishWorkspacePurge(workspaceId: string): Promise<void>;
}

/** The roles users hold in workspaces, overriding their organisation role there. */
export interface WorkspaceRoleStorage {
  workspaceRolesOf(userId: string): Promise<Map<string, Role>>;
  listWorkspaceRoles(workspaceId: string): Promise<Map<string, Role>>;
  setWorkspaceRole(workspaceId: string, userId: string, role: Role): Promise<void>;
  removeWorkspaceRole(workspaceId: string, userId: string): Promise<boolean>;
}

export type RotationOutcome = 'rotated' | 'stale';

/** Streaming tokens: each workspace's active pair, and the tokens rotations deactivated. */
export interface TokenStorage {
  activeTokenPair(
    workspaceId: string,
  ): Promise<{ token1: StreamingTokenRecord; token2: StreamingTokenRecord } | null>;
  findTokenByHash(tokenHash: string): Promise<StreamingTokenRecord | null>;
  /**
   * The token with this hash and its workspace, read together (every streaming-token request
   * does, and the workspace is what its routes then check and show); null when there is none.
   */
  findTokenWithWorkspace(
    tokenHash: string,
  ): Promise<{ token: StreamingTokenRecord; workspace: WorkspaceRecord } | null>;
  listActiveTokens(): Promise<StreamingTokenRecord[]>;
  /**
   * Writes the rotation (tokens/rotation.ts computed it) as given, in one transaction, only if
   * the workspace's active pair is still exactly `rotation.from` (compare-and-swap): the tokens'
   * new slots, the new Token 2, and the deployments it moves. 'stale' changes nothing.
   */
  rotateTokens(input: {
    workspaceId: string;
    rotation: PairRotation<StreamingTokenRecord>;
    /** Written in the rotation's own transaction: a committed rotation is always audited. */
    audit: AuditRecord;
  }): Promise<RotationOutcome>;
}

/** When and from where each streaming token was last used, per client. */
export interface TokenUsageStorage {
  recordTokenUsage(usages: TokenUsageRecord[]): Promise<void>;
  tokenUsage(tokenIds: string[]): Promise<TokenUsageRecord[]>;
}

export interface SigningKeyStorage {
  addSigningKey(key: SigningKeyRecord): Promise<void>;
  listSigningKeys(purpose: SigningKeyRecord['purpose']): Promise<SigningKeyRecord[]>;
  /** Sets when a key stops verifying; an earlier time wins over a later one already set. */
  retireSigningKey(kid: string, at: Date): Promise<void>;
}

export interface AuditQuery {
  /** null: entries of every workspace and organisation-level entries. */
  workspaceIds: string[] | null;
  workspaceId?: string;
  actor?: string;
  action?: string;
  before?: string;
  limit: number;
}

/** The append-only audit log. Ids sort by time, so paging is `id < before`, newest first. */
export interface AuditStorage {
  appendAudit(entry: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;
}

export interface TopicStorage {
  /** false when a topic with that name already exists in the workspace. */
  insertTopic(topic: TopicRecord): Promise<boolean>;
  findTopic(workspaceId: string, name: string): Promise<TopicRecord | null>;
  listTopics(workspaceId: string): Promise<TopicRecord[]>;
  updateTopic(
    workspaceId: string,
    name: string,
    changes: {
      status?: TopicStatus;
      lastError?: string | null;
      configuration?: TopicConfiguration;
      updatedAt: Date;
    },
  ): Promise<void>;
  deleteTopic(workspaceId: string, name: string): Promise<void>;
}

export interface DeploymentChanges {
  spec?: DeploymentSpec;
  desiredState?: 'running' | 'stopped';
  tokenId?: string;
  /** Replace the running instances (rolling): generation + 1. */
  restart?: boolean;
  /** Apply only while the deployment still runs with this token (a move that must not race). */
  onlyIfTokenId?: string;
  // A `tokenId` is only ever set while that token is active: a concurrent rotation either
  // commits first (then the update changes nothing and returns null) or moves it afterwards.
  updatedAt: Date;
}

export interface DeploymentStorage {
  /** false when the name is taken in the workspace. */
  insertDeployment(deployment: DeploymentRecord): Promise<boolean>;
  findDeployment(workspaceId: string, deploymentId: string): Promise<DeploymentRecord | null>;
  /** One workspace's deployments by name, or (null) every workspace's. */
  listDeployments(workspaceId: string | null): Promise<DeploymentRecord[]>;
  /**
   * The updated record, or null when it does not exist, `onlyIfTokenId` did not match, or the
   * new `tokenId` is not an active token (then nothing changed).
   */
  updateDeployment(
    workspaceId: string,
    deploymentId: string,
    changes: DeploymentChanges,
  ): Promise<DeploymentRecord | null>;
  recordDeploymentObserved(deploymentId: string, observed: DeploymentObserved): Promise<void>;
  deleteDeployment(workspaceId: string, deploymentId: string): Promise<boolean>;
}

export interface RotationRunStorage {
  /** false when the workspace already has a running run. The audit entry commits with it. */
  insertRotationRun(run: RotationRunRecord, audit: AuditRecord): Promise<boolean>;
  findRotationRun(workspaceId: string, rotationId: string): Promise<RotationRunRecord | null>;
  /** Newest first. */
  listRotationRuns(workspaceId: string, limit: number): Promise<RotationRunRecord[]>;
  listRunningRotationRuns(): Promise<RotationRunRecord[]>;
  /**
   * Writes `run` (its version + 1) only if the stored version is still `run.version`; else
   * false. The audit entries (a step ended, the run ended) commit in the same transaction.
   */
  updateRotationRun(run: RotationRunRecord, audit?: AuditRecord[]): Promise<boolean>;
}

/** The database itself: which engine, its schema, its health, its connections. */
export interface StoreLifecycle {
  readonly engine: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;
}

/** Every domain's storage on one database: for the composition root and the tests only. */
export interface Store
  extends StoreLifecycle,
    UserStorage,
    SessionStorage,
    PatStorage,
    WorkspaceStorage,
    WorkspacePurgeStorage,
    WorkspaceRoleStorage,
    TokenStorage,
    TokenUsageStorage,
    SigningKeyStorage,
    AuditStorage,
    TopicStorage,
    DeploymentStorage,
    RotationRunStorage {}
