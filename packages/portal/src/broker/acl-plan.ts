// Which Kafka ACLs the active streaming tokens should have, and what to change to get there.
// Pure: no Kafka client here (kafka-admin.ts translates these bindings to the wire).
import { workspaceIdProblem } from '@streamgate/contract';

export type AclResourceType =
  | 'TOPIC'
  | 'GROUP'
  | 'CLUSTER'
  | 'TRANSACTIONAL_ID'
  | 'DELEGATION_TOKEN'
  | 'USER';
export type AclPatternType = 'LITERAL' | 'PREFIXED';
export type AclOperation =
  | 'ALL'
  | 'READ'
  | 'WRITE'
  | 'CREATE'
  | 'DELETE'
  | 'ALTER'
  | 'DESCRIBE'
  | 'CLUSTER_ACTION'
  | 'DESCRIBE_CONFIGS'
  | 'ALTER_CONFIGS'
  | 'IDEMPOTENT_WRITE'
  | 'CREATE_TOKENS'
  | 'DESCRIBE_TOKENS'
  | 'TWO_PHASE_COMMIT';
export type AclPermission = 'ALLOW' | 'DENY';

/** One Kafka ACL: `principal` may (or may not) do `operation` on resources matching the pattern. */
export interface AclBinding {
  /** With its type, as Kafka reports it: `User:sgt-<tokenId>`. */
  principal: string;
  host: string;
  resourceType: AclResourceType;
  resourceName: string;
  patternType: AclPatternType;
  operation: AclOperation;
  permission: AclPermission;
}

/** A streaming token that may use the broker: its JWT `sub` and the workspace it belongs to. */
export interface ActivePrincipal {
  /** The JWT subject, without the `User:` type, e.g. `sgt-<tokenId>`. */
  principal: string;
  workspaceId: string;
}

export const defaultOwnedPrincipalPrefix = 'User:sgt-';

/**
 * Least privilege for a streaming token: produce, consume and use transactions inside its
 * workspace's `${workspaceId}-` namespace. Nothing on CLUSTER (idempotent producers need only topic
 * WRITE since Kafka 3.0, KIP-679), no CREATE/DELETE/ALTER: topics are created through the portal.
 */
const grants: readonly [AclResourceType, AclOperation][] = [
  ['TOPIC', 'READ'],
  ['TOPIC', 'WRITE'],
  ['TOPIC', 'DESCRIBE'],
  // Needed by the Python quixstreams client: TopicManager reads an input topic's configs
  // (TopicAdmin.inspect_topics -> AdminClient.describe_configs) to derive its changelog and
  // repartition topics and to validate topics at start-up. Read-only and scoped to the prefix.
  ['TOPIC', 'DESCRIBE_CONFIGS'],
  ['GROUP', 'READ'],
  // OffsetFetch and DescribeGroups (consumer lag, committed offsets) need DESCRIBE on the group.
  ['GROUP', 'DESCRIBE'],
  ['TRANSACTIONAL_ID', 'WRITE'],
  ['TRANSACTIONAL_ID', 'DESCRIBE'],
];

const principalPattern = /^[A-Za-z0-9._-]{1,200}$/;

/** The ACLs that should exist for these tokens, sorted; principals listed twice count once. */
export function planAcls(principals: readonly ActivePrincipal[]): AclBinding[] {
  const workspaceOf = new Map<string, string>();
  const conflicting = new Set(conflictingPrincipals(principals));
  for (const { principal, workspaceId } of principals) {
    if (!principalPattern.test(principal)) {
      throw new TypeError(
        `Not a Kafka principal name: ${JSON.stringify(principal)} (expected e.g. sgt-<tokenId>).`,
      );
    }
    const problem = workspaceIdProblem(workspaceId);
    if (problem) throw new TypeError(`Invalid workspace id ${JSON.stringify(workspaceId)}: ${problem}`);
    // Fail closed: a principal claimed by two workspaces is a data error, and granting it both
    // namespaces would break isolation. It gets nothing until the data is fixed.
    if (!conflicting.has(principal)) workspaceOf.set(principal, workspaceId);
  }
  const bindings: AclBinding[] = [];
  for (const [principal, workspaceId] of workspaceOf) {
    for (const [resourceType, operation] of grants) {
      bindings.push({
        principal: `User:${principal}`,
        host: '*',
        resourceType,
        resourceName: `${workspaceId}-`,
        patternType: 'PREFIXED',
        operation,
        permission: 'ALLOW',
      });
    }
  }
  // Each key built once: at thousands of workspaces, building two per comparison was most of a
  // reconcile's CPU before its first ACL change (bench/rotation-cutoff.ts --workspaces).
  return bindings
    .map((binding) => ({ binding, key: aclKey(binding) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ binding }) => binding);
}

/** Why a database row cannot be planned (planAcls would throw), or null when it can. */
export function activePrincipalProblem(row: ActivePrincipal): string | null {
  if (typeof row.principal !== 'string' || !principalPattern.test(row.principal)) {
    return 'not a Kafka principal name (expected e.g. sgt-<tokenId>)';
  }
  if (typeof row.workspaceId !== 'string') return 'no workspace id';
  const problem = workspaceIdProblem(row.workspaceId);
  return problem ? `invalid workspace id: ${problem}` : null;
}

/** Principals that appear with more than one workspace (planAcls grants them nothing). */
export function conflictingPrincipals(principals: readonly ActivePrincipal[]): string[] {
  const seen = new Map<string, string>();
  const conflicting = new Set<string>();
  for (const { principal, workspaceId } of principals) {
    const other = seen.get(principal);
    if (other !== undefined && other !== workspaceId) conflicting.add(principal);
    seen.set(principal, workspaceId);
  }
  return [...conflicting].sort();
}

export interface AclDiff {
  toCreate: AclBinding[];
  toDelete: AclBinding[];
}

/**
 * What to create and delete so that the ACLs of principals starting with `ownedPrincipalPrefix`
 * are exactly `desired`. ACLs of any other principal (the portal's admin, an operator's) are never
 * touched, whatever `existing` holds.
 */
export function diffAcls(
  existing: readonly AclBinding[],
  desired: readonly AclBinding[],
  ownedPrincipalPrefix = defaultOwnedPrincipalPrefix,
): AclDiff {
  if (!ownedPrincipalPrefix.startsWith('User:') || ownedPrincipalPrefix.length <= 'User:'.length) {
    throw new TypeError('ownedPrincipalPrefix must be a non-empty User: prefix, e.g. User:sgt-.');
  }
  const owned = (binding: AclBinding) => binding.principal.startsWith(ownedPrincipalPrefix);
  const desiredByKey = new Map<string, AclBinding>();
  for (const binding of desired) {
    // A desired ACL outside the owned namespace could never be removed again by this diff.
    if (!owned(binding)) {
      throw new TypeError(`Desired ACL for ${binding.principal} is outside ${ownedPrincipalPrefix}*.`);
    }
    desiredByKey.set(aclKey(binding), binding);
  }
  const existingKeys = new Set<string>();
  const toDelete: AclBinding[] = [];
  for (const binding of existing) {
    if (!owned(binding)) continue;
    const key = aclKey(binding);
    if (existingKeys.has(key)) continue;
    existingKeys.add(key);
    if (!desiredByKey.has(key)) toDelete.push(binding);
  }
  const toCreate = [...desiredByKey].filter(([key]) => !existingKeys.has(key)).map(([, binding]) => binding);
  return { toCreate, toDelete };
}

/** Identity of an ACL: Kafka stores a binding once, however often it is created. */
export function aclKey(b: AclBinding): string {
  return [b.principal, b.resourceType, b.patternType, b.resourceName, b.operation, b.permission, b.host].join(
    '\u0000',
  );
}
