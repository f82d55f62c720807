// Batches messages for one Kafka topic into produce requests, one request in flight at a time so
// that messages of a stream keep their order. Messages queued while a request is in flight form
// the next batch, which is how throughput grows with load without a linger delay.
import { ProduceAcks, Producer } from '@platformatic/kafka';
import { type KafkaConnectionOptions, listenToConnectionErrors } from './connection.ts';
import { isPermanentKafkaError, kafkaRetryDelays } from './error-chain.ts';
import { keyPartitionHash } from './key-partitioner.ts';

export interface OutgoingMessage {
  key: string | null;
  value: Buffer;
  headers?: Record<string, string | Buffer>;
  partition?: number;
}

interface Batch {
  messages: Array<{
    topic: string;
    key?: Buffer;
    value: Buffer;
    headers?: Record<string, Buffer>;
    partition?: number;
  }>;
  bytes: number;
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface SendQueueOptions {
  connection: KafkaConnectionOptions;
  topic: string;
  /** Classifies a failed produce request (e.g. into TokenRevokedError) before anyone sees it. */
  classify: (error: unknown) => Promise<Error>;
  /** Told about every failed batch (after classification). */
  onError: (error: Error) => void;
  maxBatchBytes?: number;
  maxBatchMessages?: number;
}

const noop = () => {};

/** How many distinct keys keep their bytes and partition hash (stream ids repeat, message after message). */
const keyCacheSize = 4096;

interface KeyEntry {
  bytes: Buffer;
  /** keyPartitionHash of these bytes (the Kafka client takes it modulo the partition count). */
  hash: number;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // The batch promise is also handed to callers who may never await it: a failure is reported
  // through onError and flush(), so an unobserved rejection must not crash the process.
  promise.catch(noop);
  return { messages: [], bytes: 0, promise, resolve, reject };
}

function toBuffer(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

export class SendQueue {
  readonly topic: string;
  #producer: Producer<Buffer, Buffer, string, Buffer>;
  #options: SendQueueOptions;
  #current: Batch = newBatch();
  #sealed: Batch[] = [];
  #closedHard = false;
  #inflight: Batch | null = null;
  #scheduled = false;
  #closed = false;
  #failure: Error | null = null;
  #fatal: Error | null = null;
  #maxBytes: number;
  #maxMessages: number;
  #sent = 0;
  #keys = new Map<string, KeyEntry>();

  constructor(options: SendQueueOptions) {
    this.topic = options.topic;
    this.#options = options;
    this.#maxBytes = options.maxBatchBytes ?? 512 * 1024;
    this.#maxMessages = options.maxBatchMessages ?? 5_000;
    this.#producer = new Producer<Buffer, Buffer, string, Buffer>({
      ...options.connection,
      acks: ProduceAcks.ALL,
      serializers: {
        key: (k?: Buffer) => k,
        value: (v?: Buffer) => v,
        headerKey: (k?: string) => (k === undefined ? undefined : Buffer.from(k, 'utf8')),
        headerValue: (v?: Buffer) => v,
      },
    });
    listenToConnectionErrors(this.#producer);
  }

  /** Messages delivered so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Messages queued or in flight. */
  get pending(): number {
    return this.#current.messages.length + (this.#inflight?.messages.length ?? 0);
  }

  /** A failure that makes every further send pointless (a revoked token). */
  fail(error: Error): void {
    if (this.#fatal) return;
    this.#fatal = error;
    const rejectBatch = (batch: Batch) => batch.reject(error);
    rejectBatch(this.#current);
    this.#current = newBatch();
    for (const batch of this.#sealed) rejectBatch(batch);
    this.#sealed = [];
    if (this.#inflight) rejectBatch(this.#inflight);
    this.#inflight = null;
  }

  /**
   * Queues a message; the promise settles when its batch is delivered or failed. Throws at once
   * when the queue is closed or failed for good.
   */
  enqueue(message: OutgoingMessage): Promise<void> {
    if (this.#fatal) throw this.#fatal;
    if (this.#closed) throw new Error(`The producer for topic ${this.topic} is closed`);
    const bytes = message.value.length + (message.key?.length ?? 0) + 64;
    let batch = this.#current;
    if (
      batch.messages.length > 0 &&
      (batch.bytes + bytes > this.#maxBytes || batch.messages.length >= this.#maxMessages)
    ) {
      // The open batch is full: it waits its turn and a new one opens.
      this.#sealed.push(batch);
      batch = this.#current = newBatch();
    }
    let headers: Record<string, Buffer> | undefined;
    if (message.headers) {
      headers = {};
      for (const [k, v] of Object.entries(message.headers)) headers[k] = toBuffer(v);
    }
    const record: Batch['messages'][number] = { topic: this.topic, value: message.value };
    if (message.key !== null) {
      // Encoding the key and hashing it for its partition cost a tenth of a send (profiled): done
      // once per stream id. The hash is the Java clients' and librdkafka's (keyPartitionHash).
      const key = this.#key(message.key);
      record.key = key.bytes;
      record.partition = message.partition ?? key.hash;
    } else if (message.partition !== undefined) record.partition = message.partition;
    if (headers) record.headers = headers;
    batch.messages.push(record);
    batch.bytes += bytes;
    this.#schedule();
    return batch.promise;
  }

  #key(key: string): KeyEntry {
    let entry = this.#keys.get(key);
    if (!entry) {
      if (this.#keys.size >= keyCacheSize) this.#keys.clear();
      const bytes = Buffer.from(key, 'utf8');
      entry = { bytes, hash: keyPartitionHash(bytes) };
      this.#keys.set(key, entry);
    }
    return entry;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inflight) return;
    this.#scheduled = true;
    // Let the current tick add its messages to the batch first.
    setImmediate(() => {
      this.#scheduled = false;
      this.#sendNext();
    });
  }

  #sendNext(): void {
    if (this.#inflight) return;
    let batch = this.#sealed.shift();
    if (!batch) {
      if (this.#current.messages.length === 0) return;
      batch = this.#current;
      this.#current = newBatch();
    }
    this.#inflight = batch;
    this.#attempt(batch, 0);
  }

  /**
   * Sends one batch; a failure that may pass (broker restarting, new signing key not yet known to
   * the broker, ACLs being reconciled) is retried with backoff while later batches wait, so order
   * holds. A revoked token or a permanent error fails the batch at once.
   */
  #attempt(batch: Batch, attempt: number): void {
    this.#producer.send({ messages: batch.messages }).then(
      () => {
        this.#sent += batch.messages.length;
        this.#inflight = null;
        batch.resolve();
        this.#sendNext();
      },
      async (error: unknown) => {
        if (this.#fatal) return; // fail() already rejected the batch
        const classified = await this.#options.classify(error).catch(() => error as Error);
        if (this.#fatal) return;
        const delay = kafkaRetryDelays[attempt];
        if (delay !== undefined && !this.#closedHard && !isPermanentKafkaError(classified)) {
          setTimeout(() => {
            if (this.#fatal) return;
            this.#attempt(batch, attempt + 1);
          }, delay);
          return;
        }
        this.#inflight = null;
        this.#failure ??= classified;
        batch.reject(classified);
        this.#options.onError(classified);
        this.#sendNext();
      },
    );
  }

  /** Resolves when everything queued so far is delivered; rejects if any of it failed since the last flush. */
  async flush(): Promise<void> {
    const waits: Promise<void>[] = [];
    if (this.#inflight) waits.push(this.#inflight.promise);
    for (const batch of this.#sealed) waits.push(batch.promise);
    if (this.#current.messages.length > 0) waits.push(this.#current.promise);
    if (waits.length > 0) this.#sendNext();
    const results = await Promise.allSettled(waits);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const failure = this.#fatal ?? this.#failure ?? (failed ? (failed.reason as Error) : null);
    this.#failure = null;
    if (failure) throw failure;
  }

  /** Delivers what is queued, then closes the Kafka producer. */
  async close(): Promise<void> {
    if (this.#closed) return;
    let flushError: unknown = null;
    try {
      if (!this.#fatal) await this.flush();
    } catch (error) {
      flushError = error;
    }
    this.#closed = true;
    this.#closedHard = true;
    await this.#producer.close(true).catch(noop);
    if (flushError) throw flushError;
  }
}
