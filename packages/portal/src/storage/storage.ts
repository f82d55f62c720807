import type { Role } from '../permissions/roles.ts';

/**
 * The one storage interface. SQLite and PostgreSQL implement it, and storage.contract.ts is
 * the single suite both must pass. Methods that must be atomic are single methods here, so
 * that neither implementation has to hold a transaction open across awaits of the caller.
 */

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
  organisationRole: Role;
  createdAt: Date;
  /** Set while the user is disabled: no login, no session, no PAT. */
  disabledAt: Date | null;
}

/** Why a change to a user was not made: no such user, or it would leave no enabled organisation Admin. */
export type UserChangeOutcome = 'done' | 'not-found' | 'last-admin';

export interface WorkspaceRecord {
  workspaceId: string;
  name: string;
  createdAt: Date;
}

export interface StreamingTokenRecord {
  id: string;
  workspaceId: string;
  /** 1 or 2 while active; null once deactivated by a rotation. */
  slot: 1 | 2 | null;
  tokenHash: string;
  sealedValue: string;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface TokenUsageRecord {
  tokenId: string;
  clientKey: string;
  userAgent: string;
  address: string;
  deploymentId: string | null;
  lastUsedAt: Date;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface PatRecord {
  id: string;
  userId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  workspaces: string[] | null;
  readOnly: boolean;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface SigningKeyRecord {
  kid: string;
  purpose: 'pat' | 'broker';
  algorithm: 'ES256';
  sealedPrivateKey: string;
  publicJwk: string;
  createdAt: Date;
  retiredAt: Date | null;
}

export interface AuditRecord {
  id: string;
  at: Date;
  actorKind: 'user' | 'streaming' | 'anonymous' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  workspaceId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  address: string | null;
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

export type TopicStatus = 'Creating' | 'Ready' | 'Deleting' | 'Error';
export type CleanupPolicy = 'Delete' | 'Compact' | 'DeleteAndCompact';

export interface TopicConfiguration {
  partitions: number;
  replicationFactor: number;
  retentionInMinutes: number;
  retentionInBytes: number;
  cleanupPolicy: CleanupPolicy;
}

export interface TopicRecord {
  workspaceId: string;
  name: string;
  kafkaName: string;
  status: TopicStatus;
  lastError: string | null;
  configuration: TopicConfiguration;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorkspacePurgeRecord {
  workspaceId: string;
  requestedAt: Date;
  /** The last attempt's per-step report (JSON), null before the first attempt. */
  report: string | null;
  updatedAt: Date;
}

export interface NewWorkspace {
  workspace: WorkspaceRecord;
  tokens: [StreamingTokenRecord, StreamingTokenRecord];
}

export type RotationOutcome = 'rotated' | 'stale';

export type DeploymentStatus = 'Starting' | 'Running' | 'Stopping' | 'Stopped' | 'Error' | 'Completed';

/** A deployment variable. A secret's value is sealed (SecretBox), a plain one is stored as is. */
export interface DeploymentVariable {
  secret: boolean;
  value: string;
}

/** What the user asked to run. A change bumps the record's specVersion. */
export interface DeploymentSpec {
  /** A container image (the Kubernetes runner needs one; the process runner ignores it). */
  image?: string | null;
  command: string[];
  workingDirectory: string | null;
  variables: Record<string, DeploymentVariable>;
  replicas: number;
}

/** One running process (or pod) of a deployment, as its runner last saw it. Times are ISO strings. */
export interface DeploymentInstance {
  instanceId: string;
  replica: number;
  /** Process runner: the process (and group) id and its start time, to recognise it after a restart. */
  pid: number;
  startTicks: string;
  tokenId: string;
  generation: number;
  specVersion: number;
  startedAt: string;
  readyAt: string | null;
  stopping: boolean;
}

export interface DeploymentExit {
  code: number | null;
  signal: string | null;
  at: string;
}

/** What the runner reports: written by the runner only, read by everyone. */
export interface DeploymentObserved {
  status: DeploymentStatus;
  statusDetail: string | null;
  restartCount: number;
  lastExit: DeploymentExit | null;
  instances: DeploymentInstance[];
}

export interface DeploymentRecord {
  deploymentId: string;
  workspaceId: string;
  name: string;
  spec: DeploymentSpec;
  specVersion: number;
  desiredState: 'running' | 'stopped';
  /** The streaming token new instances get. A rotation moves it off a deactivated token. */
  tokenId: string;
  /** Bumped by a restart (or a move to another token): instances of an older generation are replaced. */
  generation: number;
  observed: DeploymentObserved;
  createdAt: Date;
  updatedAt: Date;
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

export type RotationRunMode = 'zero-downtime' | 'restart-deployments';
export type RotationRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RotationStepName = 'move-deployments' | 'wait-quiet' | 'rotate' | 'restart-deployments';
export type RotationStepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RotationStepDeployment {
  deploymentId: string;
  name: string;
  fromTokenId: string;
  toTokenId: string;
  state: 'pending' | 'moving' | 'done' | 'failed';
  downtimeMs: number | null;
}

export interface RotationClient {
  userAgent: string;
  address: string;
  deploymentId: string | null;
  lastUsedAt: string;
}

export interface RotationStep {
  name: RotationStepName;
  state: RotationStepState;
  startedAt: string | null;
  endedAt: string | null;
  detail: string | null;
  deployments: RotationStepDeployment[];
  clients: RotationClient[];
  quietUntil: string | null;
}

/** A rotation run: a small state machine kept whole in storage, so any restart resumes it. */
export interface RotationRunRecord {
  rotationId: string;
  workspaceId: string;
  mode: RotationRunMode;
  status: RotationRunStatus;
  quietSeconds: number;
  timeoutSeconds: number;
  force: boolean;
  startedBy: string;
  error: string | null;
  fromTokenIds: { token1: string; token2: string };
  brokerCutoff: 'pending' | 'done' | null;
  steps: RotationStep[];
  /** Bumped by every update: writers compare-and-swap on it, so two executors never both advance a run. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
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

export interface Store extends DeploymentStorage, RotationRunStorage {
  readonly engine: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;

  // users
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

  // workspaces and their roles
  /** Creates the workspace and its first token pair atomically; false when the id is taken. */
  createWorkspace(input: NewWorkspace): Promise<boolean>;
  findWorkspace(workspaceId: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  /**
   * With `purge`, a purge of the workspace's Kafka data is queued in the same transaction, so no
   * deleted workspace's topics, groups or transactional ids are ever forgotten.
   */
  deleteWorkspace(workspaceId: string, purge?: { requestedAt: Date }): Promise<boolean>;
  /** Deleted workspaces whose Kafka data is not gone yet: their ids stay reserved. */
  listWorkspacePurges(): Promise<WorkspacePurgeRecord[]>;
  updateWorkspacePurge(workspaceId: string, report: string, updatedAt: Date): Promise<void>;
  /** The Kafka data is gone: the id is free again. */
  finishWorkspacePurge(workspaceId: string): Promise<void>;
  workspaceRolesOf(userId: string): Promise<Map<string, Role>>;
  listWorkspaceRoles(workspaceId: string): Promise<Map<string, Role>>;
  setWorkspaceRole(workspaceId: string, userId: string, role: Role): Promise<void>;
  removeWorkspaceRole(workspaceId: string, userId: string): Promise<boolean>;

  // streaming tokens
  activeTokenPair(
    workspaceId: string,
  ): Promise<{ token1: StreamingTokenRecord; token2: StreamingTokenRecord } | null>;
  findTokenByHash(tokenHash: string): Promise<StreamingTokenRecord | null>;
  listActiveTokens(): Promise<StreamingTokenRecord[]>;
  /**
   * Compare-and-swap in one transaction: deactivate `expectedToken1`, promote `expectedToken2`
   * to slot 1, insert `newToken2` in slot 2, only if the active pair is still exactly the
   * expected one. 'stale' changes nothing. Deployments set to run with the deactivated token are
   * set to the promoted one in the same transaction, so none is ever left on a dead token.
   */
  rotateTokens(input: {
    workspaceId: string;
    expectedToken1: string;
    expectedToken2: string;
    newToken2: StreamingTokenRecord;
    at: Date;
    /** Written in the rotation's own transaction: a committed rotation is always audited. */
    audit: AuditRecord;
  }): Promise<RotationOutcome>;
  recordTokenUsage(usages: TokenUsageRecord[]): Promise<void>;
  tokenUsage(tokenIds: string[]): Promise<TokenUsageRecord[]>;

  // sessions
  createSession(session: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | null>;
  deleteSession(idHash: string): Promise<void>;
  deleteExpiredSessions(now: Date): Promise<number>;

  // personal access tokens
  createPat(pat: PatRecord): Promise<void>;
  findPat(id: string): Promise<PatRecord | null>;
  listPats(userId: string): Promise<PatRecord[]>;
  revokePat(userId: string, id: string, at: Date): Promise<boolean>;
  touchPat(id: string, at: Date): Promise<void>;

  // signing keys
  addSigningKey(key: SigningKeyRecord): Promise<void>;
  listSigningKeys(purpose: SigningKeyRecord['purpose']): Promise<SigningKeyRecord[]>;
  /** Sets when a key stops verifying; an earlier time wins over a later one already set. */
  retireSigningKey(kid: string, at: Date): Promise<void>;

  // audit
  appendAudit(entry: AuditRecord): Promise<void>;
  queryAudit(query: AuditQuery): Promise<AuditRecord[]>;

  // topics
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
