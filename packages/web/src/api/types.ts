// Request and response shapes of the Portal API, as described in docs/api.md.

export const ROLES = ['Admin', 'Manager', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof ROLES)[number];

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
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
  'member.set',
  'member.remove',
  'workspace.create',
  'workspace.delete',
  'topic.create',
  'topic.delete',
  'signing_key.rotate',
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
