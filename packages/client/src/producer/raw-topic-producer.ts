// Plain Kafka messages to a Portal topic (no Quix envelope).
import { EventEmitter } from 'node:events';
import { ClientClosedError, InvalidArgumentError } from '../errors.ts';
import type { SendQueue } from '../kafka/send-queue.ts';
import type { Topic } from '../portal-api.ts';

export interface RawMessage {
  key?: string | null;
  value: Uint8Array | string;
  headers?: Record<string, string | Uint8Array>;
  partition?: number;
}

export interface RawTopicProducerDeps {
  topic: Topic;
  queue: SendQueue;
  assertUsable: () => void;
  onClose: () => void;
}

function toBuffer(value: Uint8Array | string): Buffer {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

export class RawTopicProducer extends EventEmitter<{ error: [Error] }> {
  readonly topic: Topic;
  #deps: RawTopicProducerDeps;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(deps: RawTopicProducerDeps) {
    super();
    this.topic = deps.topic;
    this.#deps = deps;
  }

  /**
   * Queues a message; the promise settles when Kafka has it. There is no need to await each one:
   * failures also reach 'error' listeners and the next flush().
   */
  publish(message: RawMessage): Promise<void> {
    this.#deps.assertUsable();
    if (this.#closed) throw new ClientClosedError(`The raw producer of topic '${this.topic.name}'`);
    if (message === null || typeof message !== 'object') {
      throw new InvalidArgumentError('publish() takes a message object { key?, value, headers? }');
    }
    if (typeof message.value !== 'string' && !(message.value instanceof Uint8Array)) {
      throw new InvalidArgumentError('A raw message value must be a Uint8Array (or Buffer) or a string');
    }
    if (message.key !== undefined && message.key !== null && typeof message.key !== 'string') {
      throw new InvalidArgumentError('A raw message key must be a string or null');
    }
    let headers: Record<string, Buffer> | undefined;
    if (message.headers) {
      headers = {};
      for (const [k, v] of Object.entries(message.headers)) headers[k] = toBuffer(v);
    }
    return this.#deps.queue.enqueue({
      key: message.key ?? null,
      value: toBuffer(message.value),
      ...(headers && { headers }),
      ...(message.partition !== undefined && { partition: message.partition }),
    });
  }

  /** Waits until Kafka has every message published so far. */
  flush(): Promise<void> {
    return this.#deps.queue.flush();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#closed = true;
      try {
        await this.#deps.queue.close();
      } finally {
        this.#deps.onClose();
      }
    })();
    return this.#closing;
  }
}
