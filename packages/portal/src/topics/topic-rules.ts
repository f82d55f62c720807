import { cleanupPolicies, topicNamePattern } from '@streamgate/contract';
import type { TopicLimits } from '../config.ts';
import type { CleanupPolicy, TopicConfiguration } from '../storage/storage.ts';

/**
 * Topic names and configurations as the Quix Portal API takes them. The Kafka topic is
 * `{workspaceId}-{name}`, so the broker's prefixed ACLs cover exactly the workspace's topics.
 */
export const maxKafkaTopicLength = 249;

export const topicDefaults = {
  partitions: 1,
  retentionInMinutes: 10080,
  retentionInBytes: 52428800,
  cleanupPolicy: 'Delete',
} as const;

export function kafkaTopicName(workspaceId: string, name: string): string {
  return `${workspaceId}-${name}`;
}

export function topicNameProblem(workspaceId: string, name: string): string | null {
  if (name.length === 0) return 'A topic needs a name.';
  if (name === '.' || name === '..') return "A topic cannot be named '.' or '..'.";
  if (!new RegExp(topicNamePattern).test(name))
    return 'A topic name has only letters, digits, dots, underscores and hyphens.';
  const full = kafkaTopicName(workspaceId, name);
  if (full.length > maxKafkaTopicLength) {
    return `The Kafka topic '${workspaceId}-…' would be ${full.length} characters; at most ${maxKafkaTopicLength} with the workspace prefix.`;
  }
  return null;
}

export interface TopicConfigurationInput {
  partitions?: number | null;
  replicationFactor?: number | null;
  retentionInMinutes?: number | null;
  retentionInBytes?: number | null;
  cleanupPolicy?: string | null;
}

export type ConfigurationResult =
  | { ok: true; configuration: TopicConfiguration }
  | { ok: false; problem: string };

/** Whether a retention (-1: unlimited) is beyond a ceiling (-1: none). */
function exceeds(value: number, ceiling: number): boolean {
  if (ceiling === -1) return false;
  return value === -1 || value > ceiling;
}

/**
 * Nulls and absences mean the platform's defaults; cleanup policies match case-insensitively.
 * The limits bound what one workspace may ask of the broker: partitions, and retention (time and
 * size, never unlimited), so that a small broker's disk and file handles survive any caller.
 */
export function resolveConfiguration(
  input: TopicConfigurationInput | null | undefined,
  defaultReplicationFactor: number,
  limits: Omit<TopicLimits, 'topicsPerWorkspace'>,
): ConfigurationResult {
  const given = input ?? {};
  const partitions = given.partitions ?? topicDefaults.partitions;
  const replicationFactor = given.replicationFactor ?? defaultReplicationFactor;
  const retentionInMinutes = given.retentionInMinutes ?? topicDefaults.retentionInMinutes;
  const retentionInBytes = given.retentionInBytes ?? topicDefaults.retentionInBytes;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1000)
    return { ok: false, problem: 'partitions must be an integer from 1 to 1000.' };
  if (!Number.isInteger(replicationFactor) || replicationFactor < 1 || replicationFactor > 10) {
    return { ok: false, problem: 'replicationFactor must be an integer from 1 to 10.' };
  }
  if (!Number.isInteger(retentionInMinutes) || (retentionInMinutes < 1 && retentionInMinutes !== -1)) {
    return { ok: false, problem: 'retentionInMinutes must be a positive integer, or -1 for unlimited.' };
  }
  if (!Number.isInteger(retentionInBytes) || (retentionInBytes < 1 && retentionInBytes !== -1)) {
    return { ok: false, problem: 'retentionInBytes must be a positive integer, or -1 for unlimited.' };
  }
  if (partitions > limits.partitionsPerTopic)
    return {
      ok: false,
      problem: `partitions: at most ${limits.partitionsPerTopic} per topic on this portal (STREAMGATE_TOPIC_MAX_PARTITIONS).`,
    };
  if (exceeds(retentionInMinutes, limits.retentionMinutes))
    return {
      ok: false,
      problem: `retentionInMinutes: at most ${limits.retentionMinutes} on this portal, not unlimited (STREAMGATE_TOPIC_MAX_RETENTION_MINUTES).`,
    };
  if (exceeds(retentionInBytes, limits.retentionBytes))
    return {
      ok: false,
      problem: `retentionInBytes: at most ${limits.retentionBytes} per partition on this portal, not unlimited (STREAMGATE_TOPIC_MAX_RETENTION_BYTES).`,
    };
  let cleanupPolicy: CleanupPolicy = topicDefaults.cleanupPolicy;
  if (given.cleanupPolicy !== undefined && given.cleanupPolicy !== null) {
    const match = cleanupPolicies.find(
      (policy) => policy.toLowerCase() === String(given.cleanupPolicy).toLowerCase(),
    );
    if (!match) return { ok: false, problem: `cleanupPolicy must be one of ${cleanupPolicies.join(', ')}.` };
    cleanupPolicy = match;
  }
  return {
    ok: true,
    configuration: { partitions, replicationFactor, retentionInMinutes, retentionInBytes, cleanupPolicy },
  };
}

/** The Kafka topic configs that carry a configuration. */
export function kafkaTopicConfigs(configuration: TopicConfiguration): Record<string, string> {
  const cleanup = { Delete: 'delete', Compact: 'compact', DeleteAndCompact: 'compact,delete' }[
    configuration.cleanupPolicy
  ];
  return {
    'cleanup.policy': cleanup,
    'retention.ms':
      configuration.retentionInMinutes === -1 ? '-1' : String(configuration.retentionInMinutes * 60_000),
    'retention.bytes': String(configuration.retentionInBytes),
  };
}

/** C# clients send PascalCase keys (`{"Name": ...}`): accept any case for the known keys. */
export function normaliseKeys(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const camel = key.length > 0 ? key[0]!.toLowerCase() + key.slice(1) : key;
    out[camel] = camel === 'configuration' ? normaliseKeys(value) : value;
  }
  return out;
}
