import type {
  ActorKind,
  AuditAction,
  CleanupPolicy,
  DeploymentStatus,
  TopicStatus,
} from '@streamgate/contract';
import type { Role } from '../permissions/roles.ts';

// The topic vocabulary is the API's.
export type { CleanupPolicy, TopicStatus } from '@streamgate/contract';

/**
 * The records both engines store and return, one shape for SQLite and PostgreSQL alike.
 * The interfaces that read and write them, by domain, are in storage.ts.
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
  actorKind: ActorKind;
  actorId: string | null;
  actorLabel: string;
  action: AuditAction;
  workspaceId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  address: string | null;
}

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

export type { DeploymentStatus };

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
