// The consumer side of one topic: joins the group, hands each message to `handle` in order (awaiting
// it when it returns a promise), and commits what was handled — on a timer, every N messages, on
// commit(), and on close(). Nothing is committed before its handler finished.
//
// It starts over (reading on from the committed offsets, at-least-once) whenever reading stops: the
// message stream fails, the Kafka consumer reports that it lost its group, or no fetch completes for
// `stallMs` while it holds partitions. Nothing it waits on is unbounded except the application's
// own handler: a commit and every step of close() have a time limit.
import { channel } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommitOptionsPartition } from '@platformatic/kafka';
import type { KafkaConnectionOptions } from './connection.ts';
import { isAccessError, isPermanentKafkaError, kafkaRetryDelays } from './error-chain.ts';
import {
  type GroupConsumer,
  type GroupConsumerFactory,
  type KafkaMessage,
  type KafkaMessagesStream,
  platformaticConsumers,
} from './kafka-consumer.ts';
import { settlesWithin, within } from './time-limits.ts';

export type { KafkaMessage } from './kafka-consumer.ts';

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
  /** Start over when no fetch completes for this long while partitions are held (default 30 s). */
  stallMs?: number;
  /** The limit of a commit and of each step of close() (default 5 s). */
  stepTimeoutMs?: number;
  /** The Kafka consumers (tests pass misbehaving ones). */
  consumers?: GroupConsumerFactory;
}

/**
 * Each time a loop starts over or retries its subscription, with why:
 * `{ topic, groupId, reason: Error, newConsumer: boolean, subscribing?: true }`.
 */
export const consumeLoopRestarts = channel('streamgate:client:consume-loop:restart');

type Outcome = { kind: 'ended' } | { kind: 'broken'; error: unknown; handledAny: boolean };

export class ConsumeLoop {
  #options: ConsumeLoopOptions;
  #consumers: GroupConsumerFactory;
  #consumer: GroupConsumer;
  /** The consumer stalled out of its group: the next restart needs a new one. */
  #consumerBroken = false;
  #stream: KafkaMessagesStream | null = null;
  /** Ends the current #drain (the stream stalled, the consumer broke, close()). */
  #interrupt: ((error: Error) => void) | null = null;
  #loop: Promise<void> | null = null;
  #stopping = false;
  #fatal: Error | null = null;
  #handling: Promise<void> | null = null;
  /** The last handled message of each partition since the last commit (its offset + 1 is committed). */
  #toCommit = new Map<number, KafkaMessage>();
  #committing: Promise<void> = Promise.resolve();
  #sinceCommit = 0;
  #commitTimer: NodeJS.Timeout | null = null;
  #commitError: Error | null = null;
  #started: Promise<void> | null = null;
  #handled = 0;
  #assigned: number[] = [];
  #lastProgress = Date.now();
  #watchdog: NodeJS.Timeout | null = null;
  #stallMs: number;
  #stepMs: number;

  constructor(options: ConsumeLoopOptions) {
    this.#options = options;
    this.#stallMs = options.stallMs ?? 30_000;
    this.#stepMs = options.stepTimeoutMs ?? 5_000;
    this.#consumers = options.consumers ?? platformaticConsumers(options.connection);
    this.#consumer = this.#newConsumer();
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

  #newConsumer(): GroupConsumer {
    const { topic } = this.#options;
    const consumer = this.#consumers.create(this.#options.groupId);
    const current = () => consumer === this.#consumer && !this.#stopping;
    consumer.on(
      'consumer:group:join',
      ({ assignments }: { assignments?: { topic: string; partitions: number[] }[] }) => {
        if (!assignments || !current()) return;
        this.#assigned = assignments.filter((a) => a.topic === topic).flatMap((a) => a.partitions);
        this.#lastProgress = Date.now();
        this.#options.onAssignment?.(this.#assigned);
      },
    );
    consumer.on('consumer:heartbeat:error', ({ error }: { error: unknown }) => {
      // A heartbeat refused for lack of rights may mean the token is gone; anything else the
      // Kafka client recovers from by itself.
      // (A revocation found this way reaches every consumer through the client.)
      if (isAccessError(error)) void this.#options.classify(error, 'heartbeat').catch(() => {});
    });
    // The consumer emits 'error' when it could not rejoin its group after a heartbeat: it sends no
    // more heartbeats and is out of the group until it joins again. Without a listener that emit
    // throws from a socket callback and kills the process; here the loop starts over (and rejoins).
    consumer.on('error', (error: Error) => {
      if (current()) this.#interrupt?.(error);
    });
    consumer.on('consumer:heartbeat:stalled', ({ lastError }: { lastError?: unknown }) => {
      if (!current()) return;
      this.#consumerBroken = true;
      this.#interrupt?.(new Error('the group heartbeat made no progress', { cause: lastError }));
    });
    return consumer;
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
        await this.#closeConsumer(this.#consumer);
        throw error;
      },
    );
    if (this.#options.commit.enabled) {
      this.#commitTimer = setInterval(
        () => void this.#commit(false).catch(() => {}),
        this.#options.commit.intervalMs,
      );
      this.#commitTimer.unref();
    }
    this.#lastProgress = Date.now();
    this.#watchdog = setInterval(() => this.#checkProgress(), Math.min(5_000, Math.ceil(this.#stallMs / 3)));
    this.#watchdog.unref();
    this.#loop = this.#run(this.#stream);
  }

  /**
   * A stream that holds partitions completes a fetch at least every maxWaitTime (500 ms), with
   * messages or without; while the application's handler runs it does not need to. No fetch for
   * stallMs means a fetch that never called back (a broker killed mid-request): start over.
   */
  #checkProgress(): void {
    if (this.#stopping || this.#fatal || !this.#interrupt) return;
    const now = Date.now();
    if (this.#handling || this.#assigned.length === 0) {
      this.#lastProgress = now;
      return;
    }
    if (now - this.#lastProgress < this.#stallMs) return;
    // A new stream has connections of its own; a consumer out of its group is replaced as well.
    // (Not by default: a replaced consumer that could not leave holds its partitions until its
    // session times out, and the new one waits for that.)
    if (!this.#consumer.isActive()) this.#consumerBroken = true;
    this.#interrupt?.(
      new Error(
        `no fetch completed for ${now - this.#lastProgress} ms while holding partitions ${this.#assigned.join(', ')}`,
      ),
    );
  }

  /**
   * consume(), retried with backoff while the failure may pass (broker restarting, a new signing key
   * the broker has not fetched yet, ACLs being reconciled); a revoked token fails at once.
   */
  async #subscribeWithRetry(during: string): Promise<KafkaMessagesStream> {
    const { topic, autoOffsetReset } = this.#options;
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.#consumerBroken) await this.#replaceConsumer();
        // consume() joins only when the consumer has no member id or the topic is new to it. After
        // a failed join (its own, or after a heartbeat) it has both, and would read with no
        // membership, its commits waiting for a heartbeat that never comes: join first.
        else await this.#rejoinIfOut();
        const stream = await this.#consumer.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: autoOffsetReset,
        });
        // Reported through the iterator while the loop reads it; this keeps a later one (after the
        // loop left the stream) from being an unhandled 'error' event.
        stream.on('error', () => {});
        stream.on('fetch', () => {
          this.#lastProgress = Date.now();
        });
        return stream;
      } catch (error) {
        const classified = await this.#options.classify(error, during);
        const delay = kafkaRetryDelays[attempt];
        if (this.#stopping || this.#fatal || delay === undefined || isPermanentKafkaError(classified))
          throw classified;
        consumeLoopRestarts.publish({
          topic: this.#options.topic,
          groupId: this.#options.groupId,
          reason: classified,
          newConsumer: false,
          subscribing: true,
        });
        await sleep(delay);
      }
    }
  }

  async #rejoinIfOut(): Promise<void> {
    const consumer = this.#consumer;
    if (consumer.memberId !== null && !consumer.isActive()) await consumer.joinGroup();
  }

  /** A new Kafka consumer in place of one that stalled out of its group. */
  async #replaceConsumer(): Promise<void> {
    const old = this.#consumer;
    this.#consumerBroken = false;
    this.#assigned = [];
    this.#consumer = this.#newConsumer();
    await this.#closeConsumer(old);
  }

  async #run(first: KafkaMessagesStream): Promise<void> {
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
      consumeLoopRestarts.publish({
        topic: this.#options.topic,
        groupId: this.#options.groupId,
        reason: outcome.error,
        newConsumer: this.#consumerBroken,
      });
      // Keep what was handled (bounded: never wait on a consumer that is out of its group), then
      // read on from the committed offsets.
      await this.#commit(true).catch(() => {});
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

  /**
   * Handles messages until the stream ends, breaks, is interrupted, or a handler fails. It takes
   * what the stream holds with read(), and waits (for data, its end, a failure or an interruption)
   * only when nothing is left: one wait per fetch, not a promise race per message (that cost about
   * 1 µs a message and kept a reaction per message on the interruption until the stream ended).
   */
  async #drain(stream: KafkaMessagesStream): Promise<Outcome> {
    let handledAny = false;
    let ended = false;
    let failure = null as { error: unknown } | null;
    let wake: (() => void) | null = null;
    const onReadable = () => wake?.();
    const onEnd = () => {
      ended = true;
      wake?.();
    };
    const onError = (error: unknown) => {
      failure ??= { error };
      wake?.();
    };
    const onClose = () => {
      if (!ended) failure ??= { error: new Error('the message stream closed before its end') };
      wake?.();
    };
    this.#interrupt = (error) => {
      failure ??= { error };
      // Not awaited: a stream whose fetch never calls back may never finish closing either.
      stream.destroy();
      wake?.();
    };
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    try {
      while (!this.#stopping) {
        if (failure) return { kind: 'broken', error: failure.error, handledAny };
        const message = stream.read() as KafkaMessage | null;
        if (message === null) {
          if (ended) return { kind: 'ended' };
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
          continue;
        }
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
        this.#lastProgress = Date.now();
        if (this.#options.commit.enabled) {
          this.#toCommit.set(message.partition, message);
          if (++this.#sinceCommit >= this.#options.commit.everyMessages)
            void this.#commit(false).catch(() => {});
        }
      }
      stream.destroy();
      return { kind: 'ended' };
    } finally {
      this.#interrupt = null;
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('close', onClose);
      // (A later 'error' still has the listener #subscribeWithRetry gave every stream.)
      stream.off('error', onError);
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
    await this.#commit(true);
  }

  /**
   * One commit at a time, so that an earlier commit can never land after a later one of the same
   * partition. The timer's commits (`required` false) wait while the consumer is out of its group,
   * (re)joining: a commit then would make it rejoin again. Each commit is bounded by stepTimeoutMs.
   */
  #commit(required: boolean): Promise<void> {
    if (this.#fatal) return Promise.reject(this.#fatal);
    const run = this.#committing.then(() => this.#commitNow(required));
    this.#committing = run.catch(() => {});
    return run;
  }

  async #commitNow(required: boolean): Promise<void> {
    if (!this.#options.commit.enabled || this.#toCommit.size === 0) return;
    const consumer = this.#consumer;
    if (!required && !consumer.isActive()) return;
    const offsets: CommitOptionsPartition[] = [...this.#toCommit.values()].map((message) => ({
      topic: message.topic,
      partition: message.partition,
      offset: message.offset + 1n,
      leaderEpoch: message.leaderEpoch,
    }));
    this.#toCommit.clear();
    this.#sinceCommit = 0;
    try {
      await within(
        consumer.commit({ offsets }),
        this.#stepMs,
        () => new Error(`the commit got no answer within ${this.#stepMs} ms`),
      );
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
      await this.#closeConsumer(this.#consumer);
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
      if (this.#watchdog) clearInterval(this.#watchdog);
      if (this.#handling) await this.#handling.catch(() => {});
      if (commit && !this.#fatal) await this.#commit(true).catch(() => {});
      this.#interrupt?.(new Error('closing'));
      this.#stream?.destroy();
      if (this.#loop) await settlesWithin(this.#loop, this.#stepMs);
      await this.#closeConsumer(this.#consumer);
    })();
    return this.#shutdownPromise;
  }

  /**
   * Leaves the group and closes, within stepTimeoutMs; when leaving fails or hangs (its coordinator
   * gone), closes the connections without leaving: the broker drops the member after its session.
   */
  async #closeConsumer(consumer: GroupConsumer): Promise<void> {
    let left = false;
    const leaving = consumer.close(true).then(() => {
      left = true;
    });
    leaving.catch(() => {});
    if ((await settlesWithin(leaving, this.#stepMs)) && left) return;
    await settlesWithin(this.#consumers.forceClose(consumer), this.#stepMs);
  }
}
