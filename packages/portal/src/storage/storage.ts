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
}

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

export interface NewWorkspace {
  workspace: WorkspaceRecord;
  tokens: [StreamingTokenRecord, StreamingTokenRecord];
}

export type RotationOutcome = 'rotated' | 'stale';

export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<void>;

  // users
  createUser(user: UserRecord): Promise<void>;
  findUserByEmail(email: string): Promise<UserRecord | null>;
  findUserById(id: string): Promise<UserRecord | null>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(id: string, changes: { name?: string; organisationRole?: Role }): Promise<UserRecord | null>;
  countUsers(): Promise<number>;

  // workspaces and their roles
  /** Creates the workspace and its first token pair atomically; false when the id is taken. */
  createWorkspace(input: NewWorkspace): Promise<boolean>;
  findWorkspace(workspaceId: string): Promise<WorkspaceRecord | null>;
  listWorkspaces(): Promise<WorkspaceRecord[]>;
  deleteWorkspace(workspaceId: string): Promise<boolean>;
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
   * expected one. 'stale' changes nothing.
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
