// Plain Kafka messages from a Portal topic (no Quix decoding).
import { EventEmitter } from 'node:events';
import { ClientClosedError } from '../errors.ts';
import type { ConsumeLoop, KafkaMessage } from '../kafka/consume-loop.ts';
import type { Topic } from '../portal-api.ts';
import { Handoff } from './handoff.ts';
import { Listeners } from './stream-consumer.ts';
import type { LoopHooks } from './topic-consumer.ts';

export interface RawConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Map<string, Buffer>;
  partition: number;
  offset: bigint;
  /** Milliseconds since the Unix epoch, as Kafka stores it. */
  timestamp: bigint;
}

export interface RawTopicConsumerDeps {
  topic: Topic;
  consumerGroup: string;
  createLoop: (handle: (message: KafkaMessage) => void | Promise<void>, hooks: LoopHooks) => ConsumeLoop;
  assertUsable: () => void;
  onClose: () => void;
  onFatalUnhandled: (error: Error) => void;
}

export class RawTopicConsumer extends EventEmitter<{ error: [Error]; committed: [] }> {
  readonly topic: Topic;
  readonly consumerGroup: string;
  #deps: RawTopicConsumerDeps;
  #loop: ConsumeLoop | null = null;
  #received = new Listeners<[RawConsumedMessage]>();
  #handoffs = new Set<Handoff<RawConsumedMessage>>();
  #closed = false;
  #closing: Promise<void> | null = null;
  #subscribing: Promise<void> | null = null;

  constructor(deps: RawTopicConsumerDeps) {
    super();
    this.topic = deps.topic;
    this.consumerGroup = deps.consumerGroup;
    this.#deps = deps;
  }

  onMessageReceived(handler: (message: RawConsumedMessage) => unknown): () => void {
    return this.#received.add(handler);
  }

  subscribe(): Promise<void> {
    this.#deps.assertUsable();
    if (this.#closed) throw new ClientClosedError(`The raw consumer of topic '${this.topic.name}'`);
    this.#subscribing ??= (async () => {
      this.#loop = this.#deps.createLoop((message) => this.#handle(message), {
        onFatal: (error) => this.#onFatal(error),
        onCommitted: () => this.emit('committed'),
        onAssignment: () => {},
      });
      await this.#loop.start();
    })();
    return this.#subscribing;
  }

  async commit(): Promise<void> {
    this.#deps.assertUsable();
    await this.#loop?.commit();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      try {
        await this.#loop?.close();
      } finally {
        for (const handoff of this.#handoffs) handoff.end();
        this.#deps.onClose();
      }
    })();
    return this.#closing;
  }

  /** @internal */
  fail(error: Error): void {
    if (this.#loop) this.#loop.fail(error);
    else this.#onFatal(error);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<RawConsumedMessage, void, undefined> {
    const handoff = new Handoff<RawConsumedMessage>();
    this.#handoffs.add(handoff);
    try {
      if (!this.#subscribing) await this.subscribe();
      while (true) {
        const next = await handoff.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      this.#handoffs.delete(handoff);
      handoff.end();
    }
  }

  #onFatal(error: Error): void {
    for (const handoff of this.#handoffs) handoff.end(error);
    if (this.listenerCount('error') > 0) this.emit('error', error);
    else this.#deps.onFatalUnhandled(error);
  }

  #handle(message: KafkaMessage): void | Promise<void> {
    const raw: RawConsumedMessage = {
      key: message.key ?? null,
      value: message.value ?? null,
      headers: message.headers as Map<string, Buffer>,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    };
    const result = this.#received.emit(raw);
    if (this.#handoffs.size === 0) return result;
    const offer = () => Promise.all([...this.#handoffs].map((h) => h.put(raw))).then(() => undefined);
    return result && typeof result.then === 'function' ? result.then(offer) : offer();
  }
}
