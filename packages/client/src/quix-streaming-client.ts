// QuixStreamingClient: from a streaming token to topic producers and consumers. The token is
// exchanged for broker access behind the scenes; no broker credential is ever shown to the user.
import { EventEmitter } from 'node:events';
import { mapBrokerConfig } from './broker-config.ts';
import { RawTopicConsumer } from './consumer/raw-topic-consumer.ts';
import { type LoopHooks, TopicConsumer, type TopicConsumerDeps } from './consumer/topic-consumer.ts';
import { BrokerCredentials } from './credentials.ts';
import {
  ClientClosedError,
  ConfigurationError,
  InvalidArgumentError,
  NotFoundError,
  type TokenRevokedError,
} from './errors.ts';
import { BrokerGuard } from './kafka/broker-guard.ts';
import { type KafkaConnectionOptions, kafkaConnectionOptions } from './kafka/connection.ts';
import { type AutoOffsetReset, ConsumeLoop, type KafkaMessage } from './kafka/consume-loop.ts';
import { SendQueue } from './kafka/send-queue.ts';
import { anonymousGroup, checkGroupName, withWorkspacePrefix } from './naming.ts';
import {
  checkFraming,
  envNames,
  type QuixStreamingClientOptions,
  type ResolvedClientConfig,
  resolveClientConfig,
} from './options.ts';
import { PortalApi, type Topic } from './portal-api.ts';
import { PortalHttp } from './portal-http.ts';
import { RawTopicProducer } from './producer/raw-topic-producer.ts';
import type { StreamProducerOptions } from './producer/stream-producer.ts';
import { TopicProducer } from './producer/topic-producer.ts';
import { resolveTopic } from './topics.ts';
import type { Framing } from './wire/quix-format.ts';

export interface TopicConsumerOptions {
  /** Where a group without committed offsets starts: 'latest' (default) or 'earliest'. */
  autoOffsetReset?: AutoOffsetReset;
  /** Commit handled messages automatically (default true; always off without a consumer group). */
  autoCommit?: boolean;
  /** Automatic commit interval (default 5000 ms). */
  commitIntervalMs?: number;
  /** Automatic commit after this many handled messages (default 5000). */
  commitEvery?: number;
}

export interface TopicProducerOptions extends StreamProducerOptions {
  /**
   * How this producer frames its messages: `'headers'` (`__Q_ModelKey`/`__Q_CodecId` Kafka
   * headers, what quixstreams 2.x/3.x write) or `'headerless'` (the JSON envelope
   * `{"C","K","V","S","E"}`, the only framing the legacy QuixStreamingClient of quixstreams 0.5.x
   * reads). quixstreams 3.x and this client read both. Default: the client's `framing` option.
   */
  framing?: Framing;
}

interface Connected {
  workspaceId: string;
  connection: KafkaConnectionOptions;
}

/** A producer or consumer of this client. */
interface Member {
  emitter: EventEmitter;
  close(): Promise<void>;
  fail(error: Error): void;
}

export interface QuixStreamingClientEvents {
  error: [Error];
}

/** The clients alive in this process, so that App.run can subscribe and shut down all of them. */
const live = new Set<QuixStreamingClient>();

/** The clients created in this process and not closed yet. */
export function liveClients(): QuixStreamingClient[] {
  return [...live];
}

export class QuixStreamingClient extends EventEmitter<QuixStreamingClientEvents> {
  #config: ResolvedClientConfig;
  #api: PortalApi;
  #connected: Promise<Connected> | null = null;
  #credentials: BrokerCredentials | null = null;
  #guard: BrokerGuard;
  #members = new Set<Member>();
  #topics = new Map<string, Promise<Topic>>();
  #closed = false;
  #closing: Promise<void> | null = null;

  /**
   * @param token the workspace's streaming token; else `Quix__Sdk__Token`.
   * Throws ConfigurationError or MalformedTokenError at once when the configuration is unusable.
   */
  constructor(token?: string, options: QuixStreamingClientOptions = {}) {
    super();
    this.#config = resolveClientConfig(token, options);
    this.#api = new PortalApi(
      new PortalHttp({
        baseUrl: this.#config.portalApi,
        token: this.#config.token,
        timeoutMs: this.#config.requestTimeoutMs,
        retry: this.#config.retry,
        deploymentId: this.#config.deploymentId,
      }),
    );
    this.#guard = new BrokerGuard(null);
    this.#guard.onRevoked((error) => this.#onRevoked(error));
    live.add(this);
  }

  /** The Portal API base URL in use. */
  get portalApi(): string {
    return this.#config.portalApi;
  }

  /** Set once the token was found rotated or revoked. */
  get revoked(): TokenRevokedError | null {
    return this.#guard.revoked;
  }

  /** The workspace in use (resolved through the Portal when not configured). */
  async getWorkspaceId(): Promise<string> {
    return (await this.#connect()).workspaceId;
  }

  async getTopicProducer(topicNameOrId: string, options: TopicProducerOptions = {}): Promise<TopicProducer> {
    const { framing: framingOption, ...streamOptions } = options;
    const framing = checkFraming('options.framing', framingOption, this.#config.framing);
    const { topic, connection } = await this.#prepareTopic(topicNameOrId);
    let owner: EventEmitter | null = null;
    const queue = this.#newQueue(topic, connection, (error) => this.#report(owner, error));
    const producer: TopicProducer = new TopicProducer({
      topic,
      queue,
      assertUsable: () => this.#guard.assertUsable(),
      onClose: () => this.#members.delete(member),
      streamOptions,
      framing,
    });
    owner = producer;
    const member = this.#producerMember(producer, queue);
    this.#members.add(member);
    return producer;
  }

  async getRawTopicProducer(topicNameOrId: string): Promise<RawTopicProducer> {
    const { topic, connection } = await this.#prepareTopic(topicNameOrId);
    let owner: EventEmitter | null = null;
    const queue = this.#newQueue(topic, connection, (error) => this.#report(owner, error));
    const producer: RawTopicProducer = new RawTopicProducer({
      topic,
      queue,
      assertUsable: () => this.#guard.assertUsable(),
      onClose: () => this.#members.delete(member),
    });
    owner = producer;
    const member = this.#producerMember(producer, queue);
    this.#members.add(member);
    return producer;
  }

  /**
   * A consumer of Quix streams. `consumerGroup` (else `Quix__Consumer_Group`) gets the
   * `{workspaceId}-` prefix; without one the consumer reads in a group of its own and never commits.
   */
  async getTopicConsumer(
    topicNameOrId: string,
    consumerGroup?: string | null,
    options: TopicConsumerOptions = {},
  ): Promise<TopicConsumer> {
    return this.#openConsumer((deps) => new TopicConsumer(deps), topicNameOrId, consumerGroup, options);
  }

  async getRawTopicConsumer(
    topicNameOrId: string,
    consumerGroup?: string | null,
    options: TopicConsumerOptions = {},
  ): Promise<RawTopicConsumer> {
    return this.#openConsumer((deps) => new RawTopicConsumer(deps), topicNameOrId, consumerGroup, options);
  }

  /** Resolves the topic and group, builds the consumer, and keeps it among the open members. */
  async #openConsumer<C extends TopicConsumer | RawTopicConsumer>(
    build: (deps: TopicConsumerDeps) => C,
    topicNameOrId: string,
    consumerGroup: string | null | undefined,
    options: TopicConsumerOptions,
  ): Promise<C> {
    const { topic, connection, workspaceId } = await this.#prepareTopic(topicNameOrId);
    const group = this.#group(workspaceId, consumerGroup);
    const consumer = build({
      topic,
      consumerGroup: group.id,
      createLoop: (handle, hooks) => this.#newLoop(topic, connection, group, options, handle, hooks),
      assertUsable: () => this.#guard.assertUsable(),
      onClose: () => this.#members.delete(member),
      onFatalUnhandled: (error) => this.#report(null, error),
    });
    const member: Member = {
      emitter: consumer,
      close: () => consumer.close(),
      fail: (error) => consumer.fail(error),
    };
    this.#members.add(member);
    return consumer;
  }

  /** @internal Every producer and consumer still open (for App.run). */
  get members(): ReadonlySet<Member> {
    return this.#members;
  }

  /**
   * Closes every producer (delivering what they hold) and consumer (committing what was handled).
   * Rejects with the first failure, after closing everything.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      const results = await Promise.allSettled([...this.#members].map((m) => m.close()));
      this.#credentials?.close();
      live.delete(this);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    })();
    return this.#closing;
  }

  #assertUsable(): void {
    this.#guard.assertUsable();
    if (this.#closed) throw new ClientClosedError('The QuixStreamingClient');
  }

  /** Workspace and broker access, fetched once (again after a failure). */
  #connect(): Promise<Connected> {
    this.#assertUsable();
    this.#connected ??= this.#establish().catch((error: unknown) => {
      this.#connected = null;
      throw error;
    });
    return this.#connected;
  }

  async #establish(): Promise<Connected> {
    const workspaceId = this.#config.workspaceId ?? (await this.#discoverWorkspace());
    let librdkafka: Record<string, string>;
    try {
      librdkafka = await this.#api.getBrokerConfig(workspaceId);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new ConfigurationError(
          `Workspace '${workspaceId}' does not exist or this token cannot see it: check ${envNames.workspaceId} (${error.message})`,
          { cause: error },
        );
      }
      throw error;
    }
    const broker = mapBrokerConfig(librdkafka);
    let credentials: BrokerCredentials | null = null;
    if (broker.oauth) {
      credentials = new BrokerCredentials({
        api: this.#api,
        ...broker.oauth,
        refreshRatio: this.#config.tokenRefreshRatio,
        onRevoked: (error) => this.#guard.revoke(error),
      });
      // Fail here, not in the middle of a Kafka handshake, when the token cannot get broker access.
      await credentials.getToken();
    }
    this.#credentials = credentials;
    this.#guard.useCredentials(credentials);
    return { workspaceId, connection: kafkaConnectionOptions(this.#config.clientId, broker, credentials) };
  }

  async #discoverWorkspace(): Promise<string> {
    const workspaces = await this.#api.listWorkspaces();
    if (workspaces.length === 1) return workspaces[0]!.workspaceId;
    if (workspaces.length === 0) {
      throw new ConfigurationError(
        `The Portal shows no workspace to this token: set ${envNames.workspaceId} (or options.workspaceId) to the workspace the token belongs to`,
      );
    }
    const ids = workspaces.map((w) => w.workspaceId).join(', ');
    throw new ConfigurationError(
      `This token sees ${workspaces.length} workspaces (${ids}): set ${envNames.workspaceId} (or options.workspaceId) to the one to use`,
    );
  }

  async #prepareTopic(
    nameOrId: string,
  ): Promise<{ topic: Topic; connection: KafkaConnectionOptions; workspaceId: string }> {
    if (typeof nameOrId !== 'string' || nameOrId.trim() === '') {
      throw new InvalidArgumentError(
        `A topic name must be a non-empty string, got ${JSON.stringify(nameOrId)}`,
      );
    }
    const { workspaceId, connection } = await this.#connect();
    let topic = this.#topics.get(nameOrId);
    if (!topic) {
      topic = resolveTopic(this.#api, workspaceId, nameOrId, {
        autoCreate: this.#config.autoCreateTopics,
        configuration: this.#config.topicConfiguration,
        readyTimeoutMs: this.#config.topicReadyTimeoutMs,
      });
      this.#topics.set(nameOrId, topic);
      topic.catch(() => this.#topics.delete(nameOrId));
    }
    const resolved = await topic;
    this.#assertUsable();
    return { topic: resolved, connection, workspaceId };
  }

  #group(workspaceId: string, consumerGroup: string | null | undefined): { id: string; commits: boolean } {
    const name = consumerGroup ?? this.#config.defaultConsumerGroup;
    if (name === null || name === undefined) return { id: anonymousGroup(workspaceId), commits: false };
    checkGroupName(name);
    return { id: withWorkspacePrefix(workspaceId, name), commits: true };
  }

  #producerMember(producer: TopicProducer | RawTopicProducer, queue: SendQueue): Member {
    return {
      emitter: producer,
      close: () => producer.close(),
      fail: (error) => {
        queue.fail(error);
        if (producer.listenerCount('error') > 0) producer.emit('error', error);
      },
    };
  }

  #newQueue(topic: Topic, connection: KafkaConnectionOptions, onError: (error: Error) => void): SendQueue {
    return new SendQueue({
      connection,
      topic: topic.id,
      classify: (error) => this.#guard.classify(error, `producing to ${topic.name}`),
      onError,
    });
  }

  #newLoop(
    topic: Topic,
    connection: KafkaConnectionOptions,
    group: { id: string; commits: boolean },
    options: TopicConsumerOptions,
    handle: (message: KafkaMessage) => void | Promise<void>,
    hooks: LoopHooks,
  ): ConsumeLoop {
    return new ConsumeLoop({
      connection,
      topic: topic.id,
      groupId: group.id,
      autoOffsetReset: options.autoOffsetReset ?? 'latest',
      commit: {
        enabled: group.commits && (options.autoCommit ?? true),
        intervalMs: options.commitIntervalMs ?? 5_000,
        everyMessages: options.commitEvery ?? 5_000,
      },
      handle,
      classify: (error, during) => this.#guard.classify(error, during),
      onFatal: hooks.onFatal,
      onCommitted: hooks.onCommitted,
      onAssignment: hooks.onAssignment,
    });
  }

  #onRevoked(error: TokenRevokedError): void {
    for (const member of this.#members) member.fail(error);
    this.#credentials?.close();
    const someoneListens =
      this.listenerCount('error') > 0 || [...this.#members].some((m) => m.emitter.listenerCount('error') > 0);
    // From a clean stack: with no listener anywhere the emit throws, and that must crash loudly
    // rather than reject some internal promise.
    if (this.listenerCount('error') > 0 || !someoneListens) process.nextTick(() => this.emit('error', error));
  }

  /** Emits on the producer/consumer when it listens, else on the client (which throws if nobody listens). */
  #report(source: EventEmitter | null, error: Error): void {
    // A revocation is reported once, by #onRevoked.
    if (error === this.#guard.revoked) return;
    if (source && source.listenerCount('error') > 0) {
      source.emit('error', error);
      return;
    }
    process.nextTick(() => this.emit('error', error));
  }
}
