import type { Role } from '../permissions/roles.ts';
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
  TopicRecord,
  UserRecord,
  WorkspacePurgeRecord,
  WorkspaceRecord,
} from './records.ts';
import type { PatAuthentication } from './storage.ts';

/**
 * Row → record mapping shared by both engines (values.ts goes the other way): both store times
 * as epoch milliseconds (PostgreSQL BIGINT arrives as a string) and JSON as text.
 */
export type Value = unknown;
export type Row = Record<string, Value>;
const date = (value: Value): Date => new Date(Number(value));
const maybeDate = (value: Value): Date | null => (value === null ? null : date(value));
const text = (value: Value): string => String(value);
const maybeText = (value: Value): string | null => (value === null ? null : String(value));

export const user = (row: Row): UserRecord => ({
  id: text(row.id),
  email: text(row.email),
  name: text(row.name),
  passwordHash: text(row.password_hash),
  organisationRole: text(row.organisation_role) as Role,
  createdAt: date(row.created_at),
  disabledAt: maybeDate(row.disabled_at ?? null),
});

export const workspace = (row: Row): WorkspaceRecord => ({
  workspaceId: text(row.workspace_id),
  name: text(row.name),
  createdAt: date(row.created_at),
});

export const workspacePurge = (row: Row): WorkspacePurgeRecord => ({
  workspaceId: text(row.workspace_id),
  requestedAt: date(row.requested_at),
  report: row.report === null || row.report === undefined ? null : text(row.report),
  updatedAt: date(row.updated_at),
});

export const streamingToken = (row: Row): StreamingTokenRecord => ({
  id: text(row.id),
  workspaceId: text(row.workspace_id),
  slot: row.slot === null ? null : (Number(row.slot) as 1 | 2),
  tokenHash: text(row.token_hash),
  sealedValue: text(row.sealed_value),
  createdAt: date(row.created_at),
  deactivatedAt: maybeDate(row.deactivated_at),
});

/** A workspace's active tokens as its pair, or null unless they are exactly one Token 1 and one Token 2. */
export const activePair = (
  found: Row[],
): { token1: StreamingTokenRecord; token2: StreamingTokenRecord } | null => {
  const tokens = found.map(streamingToken);
  const token1 = tokens.find((token) => token.slot === 1);
  const token2 = tokens.find((token) => token.slot === 2);
  return tokens.length === 2 && token1 && token2 ? { token1, token2 } : null;
};

/** Workspace roles keyed by `key` (the user id, or the workspace id). */
export const roles = (found: Row[], key: 'user_id' | 'workspace_id'): Map<string, Role> =>
  new Map(found.map((row) => [text(row[key]), text(row.role) as Role]));

export const tokenUsage = (row: Row): TokenUsageRecord => ({
  tokenId: text(row.token_id),
  clientKey: text(row.client_key),
  userAgent: text(row.user_agent),
  address: text(row.address),
  deploymentId: maybeText(row.deployment_id),
  lastUsedAt: date(row.last_used_at),
});

export const session = (row: Row): SessionRecord => ({
  idHash: text(row.id_hash),
  userId: text(row.user_id),
  csrfToken: text(row.csrf_token),
  createdAt: date(row.created_at),
  expiresAt: date(row.expires_at),
});

export const pat = (row: Row): PatRecord => ({
  id: text(row.id),
  userId: text(row.user_id),
  name: text(row.name),
  createdAt: date(row.created_at),
  expiresAt: date(row.expires_at),
  workspaces: row.workspaces === null ? null : (JSON.parse(text(row.workspaces)) as string[]),
  readOnly: Number(row.read_only) === 1,
  lastUsedAt: maybeDate(row.last_used_at),
  revokedAt: maybeDate(row.revoked_at),
});

/**
 * A PAT row with its owner as JSON `[email, organisation role, disabled at]` (null when the user
 * is gone) and the owner's roles as JSON `[[workspace, role], ...]`.
 */
export const patAuthentication = (row: Row): PatAuthentication | null => {
  if (row.owner === null) return null;
  const [email, organisationRole, disabledAt] = JSON.parse(text(row.owner)) as [string, Role, Value];
  return {
    pat: pat(row),
    owner: { id: text(row.user_id), email, organisationRole, disabledAt: maybeDate(disabledAt) },
    workspaceRoles: new Map(JSON.parse(text(row.owner_workspace_roles)) as [string, Role][]),
  };
};

/** A streaming token row with its workspace's columns (`workspace_name`, `workspace_created_at`). */
export const tokenWithWorkspace = (
  row: Row,
): { token: StreamingTokenRecord; workspace: WorkspaceRecord } => ({
  token: streamingToken(row),
  workspace: {
    workspaceId: text(row.workspace_id),
    name: text(row.workspace_name),
    createdAt: date(row.workspace_created_at),
  },
});

export const signingKey = (row: Row): SigningKeyRecord => ({
  kid: text(row.kid),
  purpose: text(row.purpose) as SigningKeyRecord['purpose'],
  algorithm: 'ES256',
  sealedPrivateKey: text(row.sealed_private_key),
  publicJwk: text(row.public_jwk),
  createdAt: date(row.created_at),
  retiredAt: maybeDate(row.retired_at),
});

export const audit = (row: Row): AuditRecord => ({
  id: text(row.id),
  at: date(row.at),
  actorKind: text(row.actor_kind) as AuditRecord['actorKind'],
  actorId: maybeText(row.actor_id),
  actorLabel: text(row.actor_label),
  action: text(row.action) as AuditRecord['action'],
  workspaceId: maybeText(row.workspace_id),
  target: maybeText(row.target),
  details: JSON.parse(text(row.details)) as Record<string, unknown>,
  address: maybeText(row.address),
});

export const topic = (row: Row): TopicRecord => ({
  workspaceId: text(row.workspace_id),
  name: text(row.name),
  kafkaName: text(row.kafka_name),
  status: text(row.status) as TopicRecord['status'],
  lastError: maybeText(row.last_error),
  configuration: JSON.parse(text(row.configuration)) as TopicRecord['configuration'],
  createdAt: date(row.created_at),
  updatedAt: date(row.updated_at),
});

export const deployment = (row: Row): DeploymentRecord => ({
  deploymentId: text(row.deployment_id),
  workspaceId: text(row.workspace_id),
  name: text(row.name),
  spec: JSON.parse(text(row.spec)) as DeploymentSpec,
  specVersion: Number(row.spec_version),
  desiredState: text(row.desired_state) as DeploymentRecord['desiredState'],
  tokenId: text(row.token_id),
  generation: Number(row.generation),
  observed: JSON.parse(text(row.observed)) as DeploymentObserved,
  createdAt: date(row.created_at),
  updatedAt: date(row.updated_at),
});

/** The parts of a run that live in its JSON body (everything but the indexed columns). */
type RunBody = Omit<
  RotationRunRecord,
  'rotationId' | 'workspaceId' | 'status' | 'version' | 'createdAt' | 'updatedAt' | 'endedAt'
> & {
  updatedAt: string;
  endedAt: string | null;
};

export const rotationRunBody = (run: RotationRunRecord): string => {
  const {
    rotationId: _id,
    workspaceId: _ws,
    status: _status,
    version: _version,
    createdAt: _created,
    ...rest
  } = run;
  const body: RunBody = {
    ...rest,
    updatedAt: run.updatedAt.toISOString(),
    endedAt: run.endedAt?.toISOString() ?? null,
  };
  return JSON.stringify(body);
};

export const rotationRun = (row: Row): RotationRunRecord => {
  const body = JSON.parse(text(row.body)) as RunBody;
  return {
    ...body,
    rotationId: text(row.rotation_id),
    workspaceId: text(row.workspace_id),
    status: text(row.status) as RotationRunRecord['status'],
    version: Number(row.version),
    createdAt: date(row.created_at),
    updatedAt: new Date(body.updatedAt),
    endedAt: body.endedAt === null ? null : new Date(body.endedAt),
  };
};
