import type {
  AuditRecord,
  DeploymentRecord,
  PatRecord,
  RotationRunRecord,
  SessionRecord,
  SigningKeyRecord,
  StreamingTokenRecord,
  TopicRecord,
  UserRecord,
} from './records.ts';
import { rotationRunBody } from './rows.ts';

/**
 * Record → row, the other direction of rows.ts, shared by both engines: each table's columns in
 * insert order, and a record's values for them. Times are epoch milliseconds, JSON is text, a
 * flag is 1 or 0 (PostgreSQL's BOOLEAN takes '1' and '0' too).
 */
export type SqlValue = string | number | null;

const ms = (date: Date | null): number | null => (date ? date.getTime() : null);

/** A column list qualified by a table alias, for joins: `p.id, p.user_id, …`. */
export const qualified = (columns: string, alias: string): string =>
  columns
    .split(',')
    .map((column) => `${alias}.${column.trim()}`)
    .join(', ');

export const userColumns = 'id, email, name, password_hash, organisation_role, created_at, disabled_at';
export const userValues = (user: UserRecord): SqlValue[] => [
  user.id,
  user.email,
  user.name,
  user.passwordHash,
  user.organisationRole,
  ms(user.createdAt),
  ms(user.disabledAt ?? null),
];

export const patColumns =
  'id, user_id, name, created_at, expires_at, workspaces, read_only, last_used_at, revoked_at';
export const patValues = (pat: PatRecord): SqlValue[] => [
  pat.id,
  pat.userId,
  pat.name,
  ms(pat.createdAt),
  ms(pat.expiresAt),
  pat.workspaces ? JSON.stringify(pat.workspaces) : null,
  pat.readOnly ? 1 : 0,
  ms(pat.lastUsedAt),
  ms(pat.revokedAt),
];

export const sessionColumns = 'id_hash, user_id, csrf_token, created_at, expires_at';
export const sessionValues = (session: SessionRecord): SqlValue[] => [
  session.idHash,
  session.userId,
  session.csrfToken,
  ms(session.createdAt),
  ms(session.expiresAt),
];

export const streamingTokenColumns =
  'id, workspace_id, slot, token_hash, sealed_value, created_at, deactivated_at';
export const streamingTokenValues = (token: StreamingTokenRecord): SqlValue[] => [
  token.id,
  token.workspaceId,
  token.slot,
  token.tokenHash,
  token.sealedValue,
  ms(token.createdAt),
  ms(token.deactivatedAt),
];

export const signingKeyColumns =
  'kid, purpose, algorithm, sealed_private_key, public_jwk, created_at, retired_at';
export const signingKeyValues = (key: SigningKeyRecord): SqlValue[] => [
  key.kid,
  key.purpose,
  key.algorithm,
  key.sealedPrivateKey,
  key.publicJwk,
  ms(key.createdAt),
  ms(key.retiredAt),
];

export const auditColumns =
  'id, at, actor_kind, actor_id, actor_label, action, workspace_id, target, details, address';
export const auditValues = (entry: AuditRecord): SqlValue[] => [
  entry.id,
  entry.at.getTime(),
  entry.actorKind,
  entry.actorId,
  entry.actorLabel,
  entry.action,
  entry.workspaceId,
  entry.target,
  JSON.stringify(entry.details),
  entry.address,
];

export const topicColumns =
  'workspace_id, name, kafka_name, status, last_error, configuration, created_at, updated_at';
export const topicValues = (topic: TopicRecord): SqlValue[] => [
  topic.workspaceId,
  topic.name,
  topic.kafkaName,
  topic.status,
  topic.lastError,
  JSON.stringify(topic.configuration),
  ms(topic.createdAt),
  ms(topic.updatedAt),
];

export const deploymentColumns =
  'deployment_id, workspace_id, name, spec, spec_version, desired_state, token_id, generation, observed, created_at, updated_at';
export const deploymentValues = (record: DeploymentRecord): SqlValue[] => [
  record.deploymentId,
  record.workspaceId,
  record.name,
  JSON.stringify(record.spec),
  record.specVersion,
  record.desiredState,
  record.tokenId,
  record.generation,
  JSON.stringify(record.observed),
  record.createdAt.getTime(),
  record.updatedAt.getTime(),
];

export const rotationRunColumns = 'rotation_id, workspace_id, status, version, body, created_at';
export const rotationRunValues = (run: RotationRunRecord): SqlValue[] => [
  run.rotationId,
  run.workspaceId,
  run.status,
  run.version,
  rotationRunBody(run),
  run.createdAt.getTime(),
];
