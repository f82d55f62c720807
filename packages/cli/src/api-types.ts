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
