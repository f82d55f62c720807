// Plain Kafka messages from a Portal topic (no Quix decoding).
import type { KafkaMessage } from '../kafka/consume-loop.ts';
import { ConsumerBase, type ConsumerDeps, type Maybe, then } from './consumer-base.ts';
import { Listeners } from './stream-consumer.ts';

export interface RawConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  headers: Map<string, Buffer>;
  partition: number;
  offset: bigint;
  /** Milliseconds since the Unix epoch, as Kafka stores it. */
  timestamp: bigint;
}

export type RawTopicConsumerDeps = ConsumerDeps;

export class RawTopicConsumer extends ConsumerBase<RawConsumedMessage, { error: [Error]; committed: [] }> {
  #received = new Listeners<[RawConsumedMessage]>();

  protected get description(): string {
    return `The raw consumer of topic '${this.topic.name}'`;
  }

  onMessageReceived(handler: (message: RawConsumedMessage) => unknown): () => void {
    return this.#received.add(handler);
  }

  protected handle(message: KafkaMessage): Maybe {
    const raw: RawConsumedMessage = {
      key: message.key ?? null,
      value: message.value ?? null,
      headers: message.headers as Map<string, Buffer>,
      partition: message.partition,
      offset: message.offset,
      timestamp: message.timestamp,
    };
    const received = this.#received.emit(raw);
    // No closure per message unless a handler is asynchronous.
    return received ? then(received, () => this.offer(raw)) : this.offer(raw);
  }
}
