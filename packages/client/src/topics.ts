// Topic resolution through the Portal: find by name or id, create when allowed, wait for Ready.
import { setTimeout as sleep } from 'node:timers/promises';
import { InvalidArgumentError, TopicFailedError, TopicNotFoundError, TopicTimeoutError } from './errors.ts';
import type { TopicConfiguration } from './options.ts';
import type { PortalApi, Topic } from './portal-api.ts';

export interface ResolveTopicOptions {
  autoCreate: boolean;
  configuration: TopicConfiguration;
  readyTimeoutMs: number;
  /** First poll interval while waiting for Ready; grows to 1 s. */
  pollIntervalMs?: number;
  now?: () => number;
}

async function find(api: PortalApi, workspaceId: string, nameOrId: string): Promise<Topic | null> {
  const byName = await api.getTopic(workspaceId, nameOrId);
  if (byName) return byName;
  // The argument may be a Kafka topic id ({ws}-{name}) rather than a display name.
  const all = await api.listTopics(workspaceId);
  return all.find((t) => t.id === nameOrId) ?? all.find((t) => t.name === nameOrId) ?? null;
}

function checkUsable(topic: Topic): void {
  if (topic.status === 'Error' || topic.status === 'Deleting') {
    throw new TopicFailedError(topic.name ?? topic.id, topic.status, topic.lastError ?? null);
  }
}

/** The topic, Ready. Its `id` is the Kafka topic name. */
export async function resolveTopic(
  api: PortalApi,
  workspaceId: string,
  nameOrId: string,
  options: ResolveTopicOptions,
): Promise<Topic> {
  if (typeof nameOrId !== 'string' || nameOrId.trim() === '') {
    throw new InvalidArgumentError(
      `A topic name must be a non-empty string, got ${JSON.stringify(nameOrId)}`,
    );
  }
  const now = options.now ?? Date.now;
  let topic = await find(api, workspaceId, nameOrId);
  if (!topic) {
    if (!options.autoCreate) throw new TopicNotFoundError(nameOrId, workspaceId);
    const name = nameOrId.startsWith(`${workspaceId}-`) ? nameOrId.slice(workspaceId.length + 1) : nameOrId;
    topic =
      (await api.createTopic(workspaceId, name, options.configuration)) ??
      (await find(api, workspaceId, name));
    if (!topic) throw new TopicNotFoundError(nameOrId, workspaceId);
  }
  checkUsable(topic);

  const deadline = now() + options.readyTimeoutMs;
  let interval = options.pollIntervalMs ?? 100;
  while (topic.status !== 'Ready') {
    if (now() >= deadline)
      throw new TopicTimeoutError(topic.name ?? nameOrId, topic.status, options.readyTimeoutMs);
    await sleep(Math.min(interval, Math.max(0, deadline - now())));
    interval = Math.min(interval * 2, 1000);
    const next = await api.getTopic(workspaceId, topic.name ?? nameOrId);
    if (!next)
      throw new TopicFailedError(
        topic.name ?? nameOrId,
        'Deleted',
        'the topic disappeared while waiting for Ready',
      );
    topic = next;
    checkUsable(topic);
  }
  return topic;
}
