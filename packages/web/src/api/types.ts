// Request and response shapes of the Portal API, as described in docs/api.md.

export const ROLES = ['Admin', 'Manager', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof ROLES)[number];

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** A disabled user cannot log in; its sessions and PATs were ended. */
  disabled?: boolean;
};

export type Session = { user: User; csrfToken: string };

export type Workspace = {
  workspaceId: string;
  name: string;
  status: string;
  createdAt: string;
  role?: Role;
  brokerType: string;
  broker: { address: string; securityMode: string; saslMechanism: string; hasCertificate: boolean };
  version: number;
};

export type Client = { userAgent: string; address: string; deploymentId: string | null };
export type RecentClient = Client & { lastUsedAt: string };

export type StreamingToken = {
  id: string;
  /** The last four characters, to tell tokens apart without revealing them. */
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  lastUsedBy: Client | null;
  recentClients: RecentClient[];
  value?: string;
};

export type StreamingTokens = {
  workspaceId: string;
  token1: StreamingToken;
  token2: StreamingToken;
  canViewValues: boolean;
  canRotate: boolean;
};

/** The pair together with the ETag that a rotation must send back as If-Match. */
export type StreamingTokensWithEtag = { tokens: StreamingTokens; etag: string | null };

export type Pat = {
  id: string;
  name: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  workspaces: string[] | null;
  readOnly: boolean;
  /** Sent by the portal though not in docs/api.md: revoked tokens stay listed. */
  revokedAt?: string | null;
};

export type CreatedPat = Pat & { token: string };

export type NewPat = { name: string; expiresAt: string; workspaces?: string[]; readOnly?: boolean };

export const CLEANUP_POLICIES = ['Delete', 'Compact', 'DeleteAndCompact'] as const;
export type CleanupPolicy = (typeof CLEANUP_POLICIES)[number];

export type TopicConfiguration = {
  partitions: number | null;
  replicationFactor: number | null;
  retentionInMinutes: number | null;
  retentionInBytes: number | null;
  cleanupPolicy: CleanupPolicy | null;
};

export type Topic = {
  id: string;
  name: string;
  workspaceId: string;
  status: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
  configuration: TopicConfiguration;
};

export type NewTopic = { name: string; configuration: TopicConfiguration };

export type Member = {
  userId: string;
  email: string;
  name: string;
  organisationRole: Role;
  workspaceRole: Role | null;
  effectiveRole: Role;
};

export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.logout',
  'streaming_tokens.view',
  'streaming_tokens.rotate',
  'pat.create',
  'pat.revoke',
  'user.create',
  'user.update',
  'user.delete',
  'user.password_change',
  'member.set',
  'member.remove',
  'workspace.create',
  'workspace.delete',
  'topic.create',
  'topic.delete',
  'signing_key.rotate',
  'deployment.create',
  'deployment.update',
  'deployment.delete',
  'deployment.start',
  'deployment.stop',
  'deployment.restart',
  'rotation_run.start',
  'rotation_run.step',
  'rotation_run.end',
  'rotation_run.cancel',
] as const;

export type AuditEntry = {
  id: string;
  at: string;
  actor: { kind: string; id: string; label: string };
  action: string;
  workspaceId: string | null;
  target: string | null;
  details: unknown;
  address: string | null;
};

export type AuditPage = { entries: AuditEntry[]; nextBefore: string | null };

export type AuditFilter = { workspaceId?: string; actor?: string; action?: string };

// Deployments and rotation runs, as described in docs/deployments.md.

export const DEPLOYMENT_STATUSES = [
  'Starting',
  'Running',
  'Stopping',
  'Stopped',
  'Error',
  'Completed',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** A variable as the portal returns it: a secret comes back without its value. */
export type DeploymentVariable = { value?: string; secret: boolean };

/** A variable as the portal takes it; a secret without a value keeps the value it had. */
export type VariableInput = string | { value?: string; secret?: boolean };

export type TokenSlot = 1 | 2;

export type Deployment = {
  deploymentId: string;
  workspaceId: string;
  name: string;
  command: string[];
  image?: string | null;
  workingDirectory: string | null;
  replicas: number;
  variables: Record<string, DeploymentVariable>;
  desiredState: 'Running' | 'Stopped';
  status: DeploymentStatus;
  statusDetail: string | null;
  tokenId: string;
  /** That token's slot now; null when it has been deactivated by a rotation. */
  tokenSlot: TokenSlot | null;
  runningTokenIds: string[];
  /** An instance runs with an old token, command or variables. */
  restartRequired: boolean;
  replicasReady: number;
  restartCount: number;
  lastExit: { code: number | null; signal: string | null; at: string } | null;
  createdAt: string;
  updatedAt: string;
};

export type NewDeployment = {
  name: string;
  command: string[];
  image?: string | null;
  workingDirectory?: string | null;
  variables?: Record<string, VariableInput>;
  replicas?: number;
  tokenSlot?: TokenSlot;
  start?: boolean;
};

export type DeploymentChanges = Partial<Omit<NewDeployment, 'name' | 'start'>>;

export type DeploymentAction = 'start' | 'stop' | 'restart';

export type RotationMode = 'zero-downtime' | 'restart-deployments';

export type StartRotation = {
  mode: RotationMode;
  quietSeconds?: number;
  timeoutSeconds?: number;
  force?: boolean;
};

export type DeploymentRef = { deploymentId: string; name: string; status: string };

export type RotationPlan = {
  workspaceId: string;
  token1: { id: string; hint: string };
  token2: { id: string; hint: string };
  /** The portal's verdict on Token 1, shown as it is. */
  verdict: 'unused' | 'in-use';
  summary: string;
  quietSeconds: number;
  recommendedMode: RotationMode | 'rotate-only';
  deploymentsOnToken1: DeploymentRef[];
  deploymentsOnToken2: DeploymentRef[];
  outsideClients: RecentClient[];
  activeRun: RotationRun | null;
  canRotate: boolean;
};

/** The plan with the ETag of the pair it was made for, which starting a run sends as If-Match. */
export type RotationPlanWithEtag = { plan: RotationPlan; etag: string | null };

export type RotationStepName = 'move-deployments' | 'wait-quiet' | 'rotate' | 'restart-deployments';
export type RotationStepState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export type MovedDeployment = {
  deploymentId: string;
  name: string;
  fromTokenId: string;
  toTokenId: string;
  state: 'pending' | 'moving' | 'done' | 'failed';
  downtimeMs: number | null;
};

export type RotationStep = {
  name: RotationStepName;
  state: RotationStepState;
  startedAt: string | null;
  endedAt: string | null;
  detail: string | null;
  deployments: MovedDeployment[];
  clients: RecentClient[];
  quietUntil: string | null;
};

export type RotationRunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export type RotationRun = {
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
};
