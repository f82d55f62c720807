// A topic to write Quix streams to. Streams share one Kafka producer (and its ordering).
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ClientClosedError, InvalidArgumentError } from '../errors.ts';
import type { SendQueue } from '../kafka/send-queue.ts';
import { checkStreamId } from '../naming.ts';
import type { Topic } from '../portal-api.ts';
import { encodeQuixMessage, type Framing, type ModelKey } from '../wire/quix-format.ts';
import { StreamProducer, type StreamProducerOptions, type StreamTransport } from './stream-producer.ts';

export interface TopicProducerEvents {
  error: [Error];
}

export interface TopicProducerDeps {
  topic: Topic;
  queue: SendQueue;
  /** Throws when the client's token was revoked. */
  assertUsable: () => void;
  onClose: () => void;
  streamOptions?: StreamProducerOptions;
  /** Default 'headers'. */
  framing?: Framing;
}

export class TopicProducer extends EventEmitter<TopicProducerEvents> {
  /** The topic as the Portal describes it; `topic.id` is the Kafka topic. */
  readonly topic: Topic;
  /** How this producer frames its messages ('headers' or 'headerless'). */
  readonly framing: Framing;
  #queue: SendQueue;
  #deps: TopicProducerDeps;
  #streams = new Map<string, StreamProducer>();
  #closed = false;
  #closing: Promise<void> | null = null;
  #transport: StreamTransport;

  constructor(deps: TopicProducerDeps) {
    super();
    this.topic = deps.topic;
    this.framing = deps.framing ?? 'headers';
    this.#queue = deps.queue;
    this.#deps = deps;
    const framing = this.framing;
    this.#transport = {
      send: (streamId: string, modelKey: ModelKey, json: string) =>
        this.#queue.enqueue(encodeQuixMessage(streamId, modelKey, json, framing)),
      assertUsable: () => this.#assertUsable(),
      flush: () => this.#queue.flush(),
      streamClosed: (stream: StreamProducer) => {
        if (this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
      },
    };
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Open streams by id. */
  get streams(): ReadonlyMap<string, StreamProducer> {
    return this.#streams;
  }

  /** A new stream; its id is `streamId` or a random UUID. */
  createStream(streamId: string = randomUUID(), options?: StreamProducerOptions): StreamProducer {
    this.#assertUsable();
    checkStreamId(streamId);
    if (this.#streams.has(streamId)) {
      throw new InvalidArgumentError(
        `Stream '${streamId}' is already open on this producer: use getOrCreateStream('${streamId}')`,
      );
    }
    const stream = new StreamProducer(streamId, this.#transport, options ?? this.#deps.streamOptions);
    this.#streams.set(streamId, stream);
    return stream;
  }

  getStream(streamId: string): StreamProducer | undefined {
    return this.#streams.get(streamId);
  }

  /** The open stream with this id, else a new one (passed to `onCreated` first). */
  getOrCreateStream(streamId: string, onCreated?: (stream: StreamProducer) => void): StreamProducer {
    const existing = this.#streams.get(streamId);
    if (existing) return existing;
    const stream = this.createStream(streamId);
    onCreated?.(stream);
    return stream;
  }

  /** Sends everything buffered in every stream and waits until Kafka has it. */
  async flush(): Promise<void> {
    await Promise.all([...this.#streams.values()].map((s) => s.flush()));
    await this.#queue.flush();
  }

  /** Closes every open stream (StreamEnd), delivers everything, and closes the Kafka producer. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    let failure: unknown = null;
    try {
      await Promise.all([...this.#streams.values()].map((s) => s.close()));
    } catch (error) {
      failure = error;
    }
    this.#closed = true;
    try {
      await this.#queue.close();
    } catch (error) {
      failure ??= error;
    }
    this.#deps.onClose();
    if (failure) throw failure;
  }

  #assertUsable(): void {
    this.#deps.assertUsable();
    if (this.#closed) throw new ClientClosedError(`The producer of topic '${this.topic.name}'`);
  }
}
