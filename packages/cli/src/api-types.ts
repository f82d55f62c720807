// The Portal API's bodies as the CLI reads them (docs/api.md). Written here because the CLI
// must not import the portal's sources and no contract package exists yet.

export type Role = 'Admin' | 'Manager' | 'Editor' | 'Viewer' | 'None';
export const roles: readonly Role[] = ['Admin', 'Manager', 'Editor', 'Viewer', 'None'];

export interface TokenDetails {
  kind: 'session' | 'pat' | 'streaming';
  userId?: string;
  email?: string;
  workspaceId?: string;
  tokenId?: string;
  expiresAt?: string;
  workspaces?: string[] | null;
  readOnly?: boolean;
}

export interface Workspace {
  workspaceId: string;
  name: string;
  status: string;
  createdAt: string;
  role?: Role;
  broker: { address: string; securityMode: string; saslMechanism: string; hasCertificate: boolean };
}

export interface StreamingClient {
  userAgent: string;
  address: string;
  deploymentId: string | null;
}

export interface StreamingToken {
  id: string;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedBy: StreamingClient | null;
  recentClients: (StreamingClient & { lastUsedAt: string })[];
  /** The last four characters, to tell tokens apart. */
  hint: string;
  value?: string;
}

export interface StreamingTokens {
  workspaceId: string;
  token1: StreamingToken;
  token2: StreamingToken;
  canViewValues: boolean;
  canRotate: boolean;
}

export interface Pat {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  workspaces: string[] | null;
  readOnly: boolean;
  /** Not in docs/api.md, but sent: revoked tokens stay listed. */
  revokedAt?: string | null;
}

export interface CreatedPat extends Pat {
  token: string;
}

export interface Topic {
  id: string;
  name: string;
  workspaceId: string;
  status: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  configuration: {
    partitions: number;
    replicationFactor: number;
    retentionInMinutes: number;
    retentionInBytes: number;
    cleanupPolicy: 'Delete' | 'Compact' | 'DeleteAndCompact';
  };
}

export const cleanupPolicies = ['Delete', 'Compact', 'DeleteAndCompact'] as const;

export interface Member {
  userId: string;
  email: string;
  name: string;
  organisationRole: Role;
  workspaceRole: Role | null;
  effectiveRole: Role;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; label: string };
  action: string;
  workspaceId: string | null;
  target: string | null;
  details: Record<string, unknown>;
  address: string | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  nextBefore: string | null;
}

// Deployments and rotation runs (docs/deployments.md).

export const deploymentStatuses = [
  'Starting',
  'Running',
  'Stopping',
  'Stopped',
  'Error',
  'Completed',
] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

/** What create and update send: a secret is `{value, secret: true}`; `{secret: true}` alone keeps the old value. */
export type DeploymentVariablesInput = Record<string, string | { value?: string; secret?: boolean }>;

export interface CreateDeployment {
  name: string;
  command: string[];
  /** A container image: what the Kubernetes runner runs (the process runner ignores it). */
  image?: string | null;
  workingDirectory?: string | null;
  variables?: DeploymentVariablesInput;
  replicas?: number;
  tokenSlot?: 1 | 2;
  start?: boolean;
}

export type UpdateDeployment = Partial<Omit<CreateDeployment, 'name' | 'start'>>;

export interface Deployment {
  deploymentId: string;
  workspaceId: string;
  name: string;
  command: string[];
  image?: string | null;
  workingDirectory: string | null;
  replicas: number;
  /** Secret values are never sent: `{secret: true}`. */
  variables: Record<string, { value?: string; secret: boolean }>;
  desiredState: 'Running' | 'Stopped';
  status: DeploymentStatus;
  statusDetail: string | null;
  tokenId: string;
  /** The slot of `tokenId` now; null once that token is deactivated. */
  tokenSlot: 1 | 2 | null;
  runningTokenIds: string[];
  restartRequired: boolean;
  replicasReady: number;
  restartCount: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

export const rotationModes = ['zero-downtime', 'restart-deployments'] as const;
export type RotationMode = (typeof rotationModes)[number];

export interface StartRotation {
  mode: RotationMode;
  quietSeconds?: number;
  timeoutSeconds?: number;
  force?: boolean;
}

export interface RotationClient {
  userAgent: string;
  address: string;
  deploymentId: string | null;
  lastUsedAt: string;
}

export interface DeploymentRef {
  deploymentId: string;
  name: string;
  status: string;
}

export interface RotationPlan {
  workspaceId: string;
  token1: { id: string; hint: string };
  token2: { id: string; hint: string };
  /** The portal's verdict on Token 1, shown as it is: the CLI has no rule of its own. */
  verdict: 'unused' | 'in-use';
  summary: string;
  quietSeconds: number;
  recommendedMode: RotationMode | 'rotate-only';
  deploymentsOnToken1: DeploymentRef[];
  deploymentsOnToken2: DeploymentRef[];
  outsideClients: RotationClient[];
  activeRun: RotationRun | null;
  canRotate: boolean;
}

export type RotationStepName = 'move-deployments' | 'wait-quiet' | 'rotate' | 'restart-deployments';
export type RotationStepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface RotationStep {
  name: RotationStepName;
  state: RotationStepState;
  startedAt: string | null;
  endedAt: string | null;
  detail: string | null;
  deployments: {
    deploymentId: string;
    name: string;
    fromTokenId: string;
    toTokenId: string;
    state: 'pending' | 'moving' | 'done' | 'failed';
    downtimeMs: number | null;
  }[];
  clients: RotationClient[];
  quietUntil: string | null;
}

export type RotationRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface RotationRun {
  rotationId: string;
  workspaceId: string;
  mode: RotationMode;
  status: RotationRunStatus;
  quietSeconds: number;
  timeoutSeconds: number;
  force: boolean;
  startedBy: string;
  error: string | null;
  fromTokenIds: { token1: string; token2: string };
  brokerCutoff: 'pending' | 'done' | null;
  steps: RotationStep[];
  createdAt: string;
  updatedAt: string;
  endedAt: string | null;
}
