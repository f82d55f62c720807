// The portal's Kafka admin connection: topics, ACLs, groups and transactional ids through
// @platformatic/kafka's Admin. Where the portal meets Kafka, so the one place a Kafka failure
// becomes the portal's error (kafka-errors.ts: unavailable 503, the caller's mistake 4xx, a
// refusal that is not the caller's 502); callers pass those on untouched. Every call is bounded
// in time (a dead or hung broker fails fast).

import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import {
  type Acl,
  AclOperations,
  AclPermissionTypes,
  Admin,
  type ClusterMetadata,
  ConfigResourceTypes,
  type Connection,
  kGetApi,
  kGetConnection,
  kMetadata,
  type listTransactionsV1,
  ResourcePatternTypes,
  ResourceTypes,
} from '@platformatic/kafka';
import { PortalError } from '../errors.ts';
import {
  type AclBinding,
  type AclOperation,
  type AclPatternType,
  type AclPermission,
  type AclResourceType,
  aclKey,
} from './acl-plan.ts';
import {
  KafkaRefusedError,
  KafkaTopicNotFoundError,
  KafkaUnavailableError,
  translateKafkaError,
} from './kafka-errors.ts';

export interface KafkaAdminOptions {
  /** `host:port`, or several. */
  bootstrap: string | readonly string[];
  username: string;
  password: string;
  mechanism: 'SCRAM-SHA-512' | 'SCRAM-SHA-256';
  /** For a SASL_SSL listener of an existing cluster. */
  tls?: TlsOptions;
  clientId?: string;
  /** Per TCP connect (default 3000). */
  connectTimeoutMs?: number;
  /** Per Kafka request (default 10000). */
  requestTimeoutMs?: number;
  /** Whole call, retries included (default 15000). */
  operationTimeoutMs?: number;
}

export type TopicConfigName = 'retention.ms' | 'retention.bytes' | 'cleanup.policy';
export type TopicConfigs = Partial<Record<TopicConfigName, string>>;
const topicConfigNames: readonly TopicConfigName[] = ['retention.ms', 'retention.bytes', 'cleanup.policy'];

export interface TopicDescription {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: TopicConfigs;
}

export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  /** Any topic-level Kafka configs, typically those of TopicConfigs. */
  configs?: Readonly<Record<string, string>>;
}

/** Absent fields match anything. `patternType` absent = ANY (LITERAL, PREFIXED and wildcards). */
export interface AclBindingFilter {
  principal?: string;
  host?: string;
  resourceType?: AclResourceType;
  resourceName?: string;
  patternType?: AclPatternType | 'MATCH';
  operation?: AclOperation;
  permission?: AclPermission;
}

/**
 * Every method rejects with the portal's errors (errors.ts, via kafka-errors.ts), never with
 * @platformatic/kafka's, or with a TypeError for misuse.
 */
export interface KafkaAdmin {
  /** Topic names (internal topics excluded), sorted; only those starting with `prefix` if given. */
  listTopics(prefix?: string): Promise<string[]>;
  describeTopic(name: string): Promise<TopicDescription>;
  createTopic(topic: NewTopic): Promise<TopicDescription>;
  deleteTopic(name: string): Promise<void>;
  describeAcls(filter?: AclBindingFilter): Promise<AclBinding[]>;
  createAcls(bindings: readonly AclBinding[]): Promise<void>;
  /** Returns the ACLs Kafka deleted. */
  deleteAcls(filters: readonly AclBindingFilter[]): Promise<AclBinding[]>;
  /** Consumer group ids starting with `prefix`, sorted (every broker asked). */
  listGroups(prefix: string): Promise<string[]>;
  /** Deletes groups; Kafka refuses a group that still has members (GROUP_NOT_EMPTY). */
  deleteGroups(groups: readonly string[]): Promise<void>;
  /**
   * Transactional ids starting with `prefix` the broker still keeps (ListTransactions, every
   * broker). Kafka has no API to delete one: it expires after transactional.id.expiration.ms
   * without use.
   */
  listTransactionalIds(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

export function createKafkaAdmin(options: KafkaAdminOptions): KafkaAdmin {
  const bootstrapBrokers =
    typeof options.bootstrap === 'string' ? [options.bootstrap] : [...options.bootstrap];
  if (bootstrapBrokers.length === 0)
    throw new TypeError('createKafkaAdmin needs at least one bootstrap address.');
  if (!options.username || !options.password)
    throw new TypeError('createKafkaAdmin needs a username and password.');
  const operationTimeoutMs = options.operationTimeoutMs ?? 15_000;

  let admin: Admin | null = null;
  let closed = false;
  const client = () => {
    admin ??= new Admin({
      clientId: options.clientId ?? 'streamgate-portal',
      bootstrapBrokers,
      sasl: { mechanism: options.mechanism, username: options.username, password: options.password },
      tls: options.tls,
      connectTimeout: options.connectTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      // One retry smooths over a leader move; more would turn "broker down" into a long wait.
      retries: 1,
      retryDelay: 250,
    });
    return admin;
  };
  // After an outage, start over with fresh connections rather than trust the pool's state.
  const discard = () => {
    const old = admin;
    admin = null;
    void old?.close().catch(() => {});
  };

  const call = async <T>(operation: (admin: Admin) => Promise<T>, topic?: string): Promise<T> => {
    if (closed) throw new Error('This Kafka admin is closed.');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new KafkaUnavailableError('timeout')), operationTimeoutMs);
    });
    try {
      return await Promise.race([operation(client()), timeout]);
    } catch (error) {
      const translated = error instanceof PortalError ? error : translateKafkaError(error, { topic });
      if (
        translated instanceof KafkaUnavailableError ||
        (translated instanceof KafkaRefusedError && translated.reason === 'authentication')
      ) {
        discard();
      }
      throw translated;
    } finally {
      clearTimeout(timer);
    }
  };

  const describeConfigs = async (admin: Admin, name: string): Promise<TopicConfigs> => {
    const [resource] = await admin.describeConfigs({
      resources: [
        {
          resourceType: ConfigResourceTypes.TOPIC,
          resourceName: name,
          configurationKeys: [...topicConfigNames],
        },
      ],
    });
    return pickTopicConfigs(Object.fromEntries((resource?.configs ?? []).map((c) => [c.name, c.value])));
  };

  return {
    listTopics: (prefix = '') =>
      call(async (admin) => {
        const names = await admin.listTopics({ includeInternals: false });
        return names.filter((name) => name.startsWith(prefix)).sort();
      }),

    describeTopic: (name) => {
      assertTopicName(name);
      return call(async (admin) => {
        const metadata = await admin.metadata({ topics: [name], forceUpdate: true });
        const topic = metadata.topics.get(name);
        if (!topic) throw new KafkaTopicNotFoundError(name);
        return {
          name,
          partitions: topic.partitionsCount,
          replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
          configs: await describeConfigs(admin, name),
        };
      }, name);
    },

    createTopic: ({ name, partitions, replicationFactor, configs = {} }) => {
      assertTopicName(name);
      if (!Number.isInteger(partitions) || partitions < 1)
        throw new TypeError('partitions must be an integer >= 1.');
      if (!Number.isInteger(replicationFactor) || replicationFactor < 1) {
        throw new TypeError('replicationFactor must be an integer >= 1.');
      }
      return call(async (admin) => {
        const [created] = await admin.createTopics({
          topics: [name],
          partitions,
          replicas: replicationFactor,
          configs: Object.entries(configs).map(([configName, value]) => ({ name: configName, value })),
        });
        await settleMetadata(admin, name, true, Date.now() + operationTimeoutMs / 2);
        return {
          name,
          partitions: created?.partitions ?? partitions,
          replicationFactor: created?.replicas ?? replicationFactor,
          configs: pickTopicConfigs(created?.configuration ?? {}),
        };
      }, name);
    },

    deleteTopic: (name) => {
      assertTopicName(name);
      return call(async (admin) => {
        await admin.deleteTopics({ topics: [name] });
        await settleMetadata(admin, name, false, Date.now() + operationTimeoutMs / 2);
      }, name);
    },

    describeAcls: (filter = {}) =>
      call(async (admin) => {
        const resources = await admin.describeAcls({ filter: toWireFilter(filter) });
        return resources.flatMap((resource) =>
          resource.acls.flatMap((acl) => fromWire({ ...resource, ...acl }) ?? []),
        );
      }),

    createAcls: (bindings) =>
      call(async (admin) => {
        if (bindings.length === 0) return;
        await admin.createAcls({ creations: bindings.map(toWire) });
        await settleAcls(admin, bindings, true, Date.now() + operationTimeoutMs / 2);
      }),

    deleteAcls: (filters) =>
      call(async (admin) => {
        if (filters.length === 0) return [];
        const deleted = (await admin.deleteAcls({ filters: filters.map(toWireFilter) })).flatMap(
          (acl) => fromWire(acl) ?? [],
        );
        await settleAcls(admin, deleted, false, Date.now() + operationTimeoutMs / 2);
        return deleted;
      }),

    listGroups: (prefix) =>
      call(async (admin) =>
        [...(await admin.listGroups()).keys()].filter((id) => id.startsWith(prefix)).sort(),
      ),

    deleteGroups: (groups) =>
      call(async (admin) => {
        if (groups.length > 0) await admin.deleteGroups({ groups: [...groups] });
      }),

    listTransactionalIds: (prefix) => call((admin) => listTransactionalIds(admin, prefix)),

    async close() {
      closed = true;
      const old = admin;
      admin = null;
      await old?.close().catch(() => {});
    },
  };
}

/** ListTransactions on every broker (each coordinates some transactional ids); @platformatic/kafka's Admin has no wrapper for it. */
async function listTransactionalIds(admin: Admin, prefix: string): Promise<string[]> {
  const run = <T>(start: (callback: (error: Error | null | undefined, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) =>
      start((error, value) => (error ? reject(error) : resolve(value as T))),
    );
  const metadata = await run<ClusterMetadata>((callback) =>
    admin[kMetadata]({ topics: [], forceUpdate: true }, callback),
  );
  const ids = new Set<string>();
  for (const broker of metadata.brokers.values()) {
    const connection = await run<Connection>((callback) => admin[kGetConnection](broker, callback));
    type ListTransactions = (
      connection: Connection,
      stateFilters: string[],
      producerIdFilters: bigint[],
      durationFilter: bigint,
      pattern: string | null,
      callback: (
        error: Error | null | undefined,
        response?: listTransactionsV1.ListTransactionsResponse,
      ) => void,
    ) => void;
    const api = await run<ListTransactions>((callback) =>
      admin[kGetApi]('ListTransactions', callback as never),
    );
    const response = await run<listTransactionsV1.ListTransactionsResponse>((callback) =>
      api(connection, [], [], -1n, null, callback),
    );
    for (const state of response.transactionStates)
      if (state.transactionalId.startsWith(prefix)) ids.add(state.transactionalId);
  }
  return [...ids].sort();
}

/**
 * CreateTopics/DeleteTopics answer once the controller committed the change; the broker's metadata
 * cache follows a moment later. Waiting for it means a client told "created" can produce at once
 * and a listing right after shows the change. Gives up quietly at the deadline: the change itself
 * is committed either way.
 */
async function settleMetadata(admin: Admin, name: string, present: boolean, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if ((await admin.listTopics({ includeInternals: false })).includes(name) === present) return;
    await sleep(100);
  }
}

/**
 * The same for ACLs: the broker's authorizer applies a committed change a moment later. Waiting
 * means that when a revocation resolves, this broker already refuses the principal's next request,
 * and that an immediate describeAcls (the reconciler's next run) sees the change.
 */
async function settleAcls(
  admin: Admin,
  bindings: readonly AclBinding[],
  present: boolean,
  deadline: number,
): Promise<void> {
  const wanted = new Set(bindings.map(aclKey));
  while (wanted.size > 0 && Date.now() < deadline) {
    const resources = await admin.describeAcls({ filter: toWireFilter({}) });
    const current = new Set(
      resources.flatMap((r) => r.acls.flatMap((acl) => fromWire({ ...r, ...acl }) ?? [])).map(aclKey),
    );
    if ([...wanted].every((key) => current.has(key) === present)) return;
    await sleep(100);
  }
}

function assertTopicName(name: string): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError('A topic name must be a non-empty string.');
}

function pickTopicConfigs(values: Record<string, string | null | undefined>): TopicConfigs {
  const configs: TopicConfigs = {};
  for (const name of topicConfigNames) {
    const value = values[name];
    if (typeof value === 'string') configs[name] = value;
  }
  return configs;
}

// --- ACLs: the plan's labels <-> the wire's numbers ------------------------------------------

function labelOf<T extends Record<string, number>>(table: T, value: number): keyof T | undefined {
  return (Object.keys(table) as (keyof T)[]).find((label) => table[label] === value);
}

function toWire(binding: AclBinding): Acl {
  return {
    resourceType: ResourceTypes[binding.resourceType],
    resourceName: binding.resourceName,
    resourcePatternType: ResourcePatternTypes[binding.patternType],
    principal: binding.principal,
    host: binding.host,
    operation: AclOperations[binding.operation],
    permissionType: AclPermissionTypes[binding.permission],
  };
}

function toWireFilter(filter: AclBindingFilter) {
  return {
    resourceType: ResourceTypes[filter.resourceType ?? 'ANY'],
    resourceName: filter.resourceName ?? null,
    resourcePatternType: ResourcePatternTypes[filter.patternType ?? 'ANY'],
    principal: filter.principal ?? null,
    host: filter.host ?? null,
    operation: AclOperations[filter.operation ?? 'ANY'],
    permissionType: AclPermissionTypes[filter.permission ?? 'ANY'],
  };
}

/** Null for bindings this code has no label for (a future Kafka enum value): they are left alone. */
function fromWire(acl: Acl): AclBinding | null {
  const resourceType = labelOf(ResourceTypes, acl.resourceType);
  const patternType = labelOf(ResourcePatternTypes, acl.resourcePatternType);
  const operation = labelOf(AclOperations, acl.operation);
  const permission = labelOf(AclPermissionTypes, acl.permissionType);
  if (
    !resourceType ||
    resourceType === 'ANY' ||
    resourceType === 'UNKNOWN' ||
    (patternType !== 'LITERAL' && patternType !== 'PREFIXED') ||
    !operation ||
    operation === 'ANY' ||
    operation === 'UNKNOWN' ||
    (permission !== 'ALLOW' && permission !== 'DENY')
  ) {
    return null;
  }
  return {
    principal: acl.principal,
    host: acl.host,
    resourceType,
    resourceName: acl.resourceName,
    patternType,
    operation,
    permission,
  };
}
