import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { TopicLimits } from '../config.ts';
import { BadRequestError, BrokerUnavailableError, NotFoundError } from '../errors.ts';
import type { Principal } from '../permissions/principal.ts';
import type { TopicRecord, TopicStorage } from '../storage/storage.ts';
import type { TopicBroker } from './topic-broker.ts';
import {
  kafkaTopicConfigs,
  kafkaTopicName,
  resolveConfiguration,
  type TopicConfigurationInput,
  topicNameProblem,
} from './topic-rules.ts';

export interface TopicService {
  list(workspaceId: string): Promise<TopicRecord[]>;
  get(workspaceId: string, name: string): Promise<TopicRecord>;
  create(
    principal: Principal,
    workspaceId: string,
    input: { name: string; configuration?: TopicConfigurationInput | null },
    address: string | null,
  ): Promise<TopicRecord>;
  remove(principal: Principal, workspaceId: string, name: string, address: string | null): Promise<void>;
}

/**
 * Topics live in two places: the portal's record (name, configuration, status) and Kafka.
 * The record is written first as `Creating`; if Kafka refuses or cannot be reached, the record
 * is removed again, so nothing is ever half-created.
 */
export function createTopicService(deps: {
  store: TopicStorage;
  clock: Clock;
  audit: AuditLog;
  broker: () => TopicBroker | null;
  defaultReplicationFactor: number;
  limits: TopicLimits;
}): TopicService {
  const { store, clock, audit } = deps;

  const brokerOrFail = (): TopicBroker => {
    const broker = deps.broker();
    if (!broker)
      throw new BrokerUnavailableError(
        'This portal has no Kafka broker configured, so topics cannot be changed.',
      );
    return broker;
  };

  return {
    async list(workspaceId) {
      return store.listTopics(workspaceId);
    },

    async get(workspaceId, name) {
      const topic = await store.findTopic(workspaceId, name);
      if (!topic) throw new NotFoundError(`Topic '${name}' does not exist in workspace '${workspaceId}'.`);
      return topic;
    },

    async create(principal, workspaceId, input, address) {
      const problem = topicNameProblem(workspaceId, input.name);
      if (problem) throw new BadRequestError(problem);
      const resolved = resolveConfiguration(input.configuration, deps.defaultReplicationFactor, deps.limits);
      if (!resolved.ok) throw new BadRequestError(resolved.problem);
      const { topicsPerWorkspace } = deps.limits;
      const full = () =>
        new BadRequestError(
          `Workspace '${workspaceId}' already has its ${topicsPerWorkspace} topics, the most this portal allows (STREAMGATE_TOPICS_PER_WORKSPACE); delete one first.`,
        );
      if ((await store.listTopics(workspaceId)).length >= topicsPerWorkspace) throw full();
      const broker = brokerOrFail();
      const now = clock.now();
      const topic: TopicRecord = {
        workspaceId,
        name: input.name,
        kafkaName: kafkaTopicName(workspaceId, input.name),
        status: 'Creating',
        lastError: null,
        configuration: resolved.configuration,
        createdAt: now,
        updatedAt: now,
      };
      // The exact text Quix clients look for to treat a duplicate create as success.
      const exists = () => new BadRequestError(`Topic with name similar to '${input.name}' already exists.`);
      if (!(await store.insertTopic(topic))) throw exists();
      // Parallel creates (or instances) all passed the count above: count again with ours in,
      // and withdraw ours if it went over. Several may withdraw; the limit is never exceeded.
      if ((await store.listTopics(workspaceId)).length > topicsPerWorkspace) {
        await store.deleteTopic(workspaceId, input.name);
        throw full();
      }
      try {
        await broker.createTopic({
          name: topic.kafkaName,
          partitions: topic.configuration.partitions,
          replicationFactor: topic.configuration.replicationFactor,
          configs: kafkaTopicConfigs(topic.configuration),
        });
      } catch (error) {
        // Already the portal's error for it (topic-broker.ts): undo the record, pass it on.
        await store.deleteTopic(workspaceId, input.name);
        throw error;
      }
      const ready = { ...topic, status: 'Ready' as const, updatedAt: clock.now() };
      await store.updateTopic(workspaceId, input.name, { status: 'Ready', updatedAt: ready.updatedAt });
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'topic.create',
        workspaceId,
        target: topic.kafkaName,
        details: { configuration: topic.configuration },
        address,
      });
      return ready;
    },

    async remove(principal, workspaceId, name, address) {
      const topic = await store.findTopic(workspaceId, name);
      if (!topic) throw new NotFoundError(`Topic '${name}' does not exist in workspace '${workspaceId}'.`);
      const broker = brokerOrFail();
      await store.updateTopic(workspaceId, name, { status: 'Deleting', updatedAt: clock.now() });
      try {
        await broker.deleteTopic(topic.kafkaName);
      } catch (error) {
        await store.updateTopic(workspaceId, name, { status: topic.status, updatedAt: clock.now() });
        throw error;
      }
      await store.deleteTopic(workspaceId, name);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'topic.delete',
        workspaceId,
        target: topic.kafkaName,
        address,
      });
    },
  };
}
