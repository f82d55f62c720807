// The consumer side of one topic: joins the group, hands each message to `handle` in order (awaiting
// it when it returns a promise), and commits what was handled — on a timer, every N messages, on
// commit(), and on close(). Nothing is committed before its handler finished.
import { setTimeout as sleep } from 'node:timers/promises';
import { Consumer, type Message, type MessagesStream } from '@platformatic/kafka';
import type { KafkaConnectionOptions } from './connection.ts';
import { isAccessError, isPermanentKafkaError, kafkaRetryDelays } from './error-chain.ts';

export type KafkaMessage = Message<Buffer, Buffer, string, Buffer>;

export type AutoOffsetReset = 'earliest' | 'latest';

export interface CommitSettings {
  /** Commit handled messages at all (off for consumers without a group of their own). */
  enabled: boolean;
  /** Commit this often while messages are handled (default 5000 ms). */
  intervalMs: number;
  /** Commit after this many handled messages (default 5000). */
  everyMessages: number;
}

export interface ConsumeLoopOptions {
  connection: KafkaConnectionOptions;
  topic: string;
  groupId: string;
  autoOffsetReset: AutoOffsetReset;
  commit: CommitSettings;
  handle: (message: KafkaMessage) => void | Promise<void>;
  /** Turns a Kafka failure into the error to surface (revocation check included). */
  classify: (error: unknown, during: string) => Promise<Error>;
  /** A failure that stopped the loop. */
  onFatal: (error: Error) => void;
  /** Commit results, for observers. */
  onCommitted?: () => void;
  /** The partitions of the topic this member holds after each (re)join. */
  onAssignment?: (partitions: number[]) => void;
}

export class ConsumeLoop {
  #options: ConsumeLoopOptions;
  #consumer: Consumer<Buffer, Buffer, string, Buffer>;
  #stream: MessagesStream<Buffer, Buffer, string, Buffer> | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #fatal: Error | null = null;
  #handling: Promise<void> | null = null;
  #toCommit = new Map<number, KafkaMessage>();
  #sinceCommit = 0;
  #commitTimer: NodeJS.Timeout | null = null;
  #commitError: Error | null = null;
  #started: Promise<void> | null = null;
  #handled = 0;

  constructor(options: ConsumeLoopOptions) {
    this.#options = options;
    this.#consumer = new Consumer<Buffer, Buffer, string, Buffer>({
      ...options.connection,
      groupId: options.groupId,
      autocommit: false,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTime: 500,
      deserializers: {
        key: (k?: Buffer) => k,
        value: (v?: Buffer) => v,
        headerKey: (k?: Buffer) => k?.toString('utf8'),
        headerValue: (v?: Buffer) => v,
      },
    });
    this.#consumer.on('consumer:group:join', ({ assignments }) => {
      if (!assignments) return;
      const mine = assignments.filter((a) => a.topic === options.topic).flatMap((a) => a.partitions);
      options.onAssignment?.(mine);
    });
    this.#consumer.on('consumer:heartbeat:error', ({ error }) => {
      // A heartbeat refused for lack of rights may mean the token is gone; anything else the
      // Kafka client recovers from by itself.
      // (A revocation found this way reaches every consumer through the client.)
      if (isAccessError(error)) void this.#options.classify(error, 'heartbeat').catch(() => {});
    });
  }

  get groupId(): string {
    return this.#options.groupId;
  }

  /** Messages handled so far. */
  get handled(): number {
    return this.#handled;
  }

  get failure(): Error | null {
    return this.#fatal;
  }

  /** Joins the group and starts handling messages. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async #start(): Promise<void> {
    this.#stream = await this.#subscribeWithRetry(`subscribing to ${this.#options.topic}`).catch(
      async (error) => {
        this.#fatal ??= error;
        await this.#consumer.close(true).catch(() => {});
        throw error;
      },
    );
    if (this.#options.commit.enabled) {
      this.#commitTimer = setInterval(
        () => void this.commit().catch(() => {}),
        this.#options.commit.intervalMs,
      );
      this.#commitTimer.unref();
    }
    this.#loop = this.#run(this.#stream);
  }

  /**
   * consume(), retried with backoff while the failure may pass (broker restarting, a new signing key
   * the broker has not fetched yet, ACLs being reconciled); a revoked token fails at once.
   */
  async #subscribeWithRetry(during: string): Promise<MessagesStream<Buffer, Buffer, string, Buffer>> {
    const { topic, autoOffsetReset } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#consumer.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: autoOffsetReset,
        });
      } catch (error) {
        const classified = await this.#options.classify(error, during);
        const delay = kafkaRetryDelays[attempt];
        if (this.#stopping || this.#fatal || delay === undefined || isPermanentKafkaError(classified))
          throw classified;
        await sleep(delay);
      }
    }
  }

  async #run(first: MessagesStream<Buffer, Buffer, string, Buffer>): Promise<void> {
    let stream = first;
    let failures = 0;
    while (true) {
      const outcome = await this.#drain(stream);
      if (outcome.kind !== 'broken' || this.#stopping || this.#fatal) return;
      if (outcome.handledAny) failures = 0;
      const classified = await this.#options.classify(outcome.error, `consuming ${this.#options.topic}`);
      const delay = kafkaRetryDelays[failures++];
      if (this.#stopping || this.#fatal) return;
      if (delay === undefined || isPermanentKafkaError(classified)) {
        this.#stopWith(classified);
        return;
      }
      // Keep what was handled, then read on from the committed offsets.
      await this.commit().catch(() => {});
      await sleep(delay);
      if (this.#stopping || this.#fatal) return;
      try {
        stream = await this.#subscribeWithRetry(`resubscribing to ${this.#options.topic}`);
        this.#stream = stream;
      } catch (error) {
        this.#stopWith(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
  }

  /** Handles messages until the stream ends, breaks, or a handler fails. */
  async #drain(
    stream: MessagesStream<Buffer, Buffer, string, Buffer>,
  ): Promise<{ kind: 'ended' } | { kind: 'broken'; error: unknown; handledAny: boolean }> {
    let handledAny = false;
    try {
      for await (const message of stream) {
        if (this.#stopping) break;
        try {
          const result = this.#options.handle(message);
          if (result && typeof (result as Promise<void>).then === 'function') {
            this.#handling = result as Promise<void>;
            await result;
          }
        } catch (error) {
          // The application's handler failed: stop without committing this message, so that it
          // is read again after a restart, and let the application know.
          this.#stopWith(error instanceof Error ? error : new Error(String(error)));
          break;
        } finally {
          this.#handling = null;
        }
        handledAny = true;
        this.#handled++;
        if (this.#options.commit.enabled) {
          this.#toCommit.set(message.partition, message);
          if (++this.#sinceCommit >= this.#options.commit.everyMessages) void this.commit().catch(() => {});
        }
      }
      return { kind: 'ended' };
    } catch (error) {
      return { kind: 'broken', error, handledAny };
    }
  }

  #stopWith(error: Error): void {
    if (this.#fatal || this.#stopping) return;
    this.#fatal = error;
    this.#options.onFatal(error);
    // Not awaited: this may run inside the loop that the shutdown waits for.
    void this.#shutdown(false);
  }

  /** Stops at once with `error` (the client's token was revoked). */
  fail(error: Error): void {
    this.#stopWith(error);
  }

  /** Commits the offsets of every message handled so far. */
  async commit(): Promise<void> {
    if (this.#fatal) throw this.#fatal;
    if (!this.#options.commit.enabled || this.#toCommit.size === 0) return;
    const messages = [...this.#toCommit.values()];
    this.#toCommit.clear();
    this.#sinceCommit = 0;
    try {
      await Promise.all(messages.map((m) => m.commit()));
      this.#options.onCommitted?.();
    } catch (error) {
      const classified = await this.#options.classify(error, 'committing offsets');
      this.#commitError = classified;
      throw classified;
    }
  }

  /** Finishes the message being handled, commits, leaves the group. */
  async close(): Promise<void> {
    if (!this.#started) {
      await this.#consumer.close(true).catch(() => {});
      return;
    }
    await this.#started.catch(() => {});
    await this.#shutdown(true);
    const failure = this.#fatal ?? this.#commitError;
    if (failure) throw failure;
  }

  #shutdownPromise: Promise<void> | null = null;

  #shutdown(commit: boolean): Promise<void> {
    this.#shutdownPromise ??= (async () => {
      this.#stopping = true;
      if (this.#commitTimer) clearInterval(this.#commitTimer);
      if (this.#handling) await this.#handling.catch(() => {});
      if (commit && !this.#fatal) await this.commit().catch(() => {});
      await this.#stream?.close().catch(() => {});
      await this.#loop?.catch(() => {});
      await this.#consumer.close(true).catch(() => {});
    })();
    return this.#shutdownPromise;
  }
}
