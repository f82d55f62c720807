// What both topic consumers share: joining the group through a consume loop, commits, closing,
// failing when the client's token is revoked, and handing items to `for await` readers.
import { EventEmitter } from 'node:events';
import { ClientClosedError } from '../errors.ts';
import type { ConsumeLoop, KafkaMessage } from '../kafka/consume-loop.ts';
import type { Topic } from '../portal-api.ts';
import { Handoff } from './handoff.ts';

export interface LoopHooks {
  onFatal: (error: Error) => void;
  onCommitted: () => void;
  onAssignment: (partitions: number[]) => void;
}

export interface ConsumerDeps {
  topic: Topic;
  consumerGroup: string;
  createLoop: (handle: (message: KafkaMessage) => void | Promise<void>, hooks: LoopHooks) => ConsumeLoop;
  assertUsable: () => void;
  onClose: () => void;
  /** Reports a fatal error nobody listens to on this consumer. */
  onFatalUnhandled: (error: Error) => void;
}

export type Maybe = void | Promise<void>;

interface ConsumerEvents {
  error: [Error];
  committed: [];
}

export abstract class ConsumerBase<
  Item,
  Events extends ConsumerEvents & Record<keyof Events, unknown[]>,
> extends EventEmitter<Events> {
  readonly topic: Topic;
  /** The Kafka consumer group (with the workspace prefix). */
  readonly consumerGroup: string;
  #deps: ConsumerDeps;
  #loop: ConsumeLoop | null = null;
  #handoffs = new Set<Handoff<Item>>();
  #closed = false;
  #closing: Promise<void> | null = null;
  #subscribing: Promise<void> | null = null;
  /** The events every consumer has, whatever else a subclass adds. */
  #events = this as unknown as EventEmitter<ConsumerEvents>;

  constructor(deps: ConsumerDeps) {
    super();
    this.topic = deps.topic;
    this.consumerGroup = deps.consumerGroup;
    this.#deps = deps;
  }

  /** What a closed consumer is called in the error its use raises. */
  protected abstract readonly description: string;
  /** One Kafka message, in order; a returned promise holds back the next. */
  protected abstract handle(message: KafkaMessage): Maybe;
  /** The partitions this consumer holds after a rebalance. */
  protected onAssignment(_partitions: number[]): void {}

  /** Joins the consumer group and starts delivering. */
  subscribe(): Promise<void> {
    this.#deps.assertUsable();
    if (this.#closed) throw new ClientClosedError(this.description);
    this.#subscribing ??= (async () => {
      this.#loop = this.#deps.createLoop((message) => this.handle(message), {
        onFatal: (error) => this.onFatal(error),
        onCommitted: () => this.#events.emit('committed'),
        onAssignment: (partitions) => this.onAssignment(partitions),
      });
      await this.#loop.start();
    })();
    return this.#subscribing;
  }

  /** Commits every message handled so far. */
  async commit(): Promise<void> {
    this.#deps.assertUsable();
    await this.#loop?.commit();
  }

  /** Finishes the message in hand, commits, leaves the group. */
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

  /** @internal The client's token was revoked. */
  fail(error: Error): void {
    if (this.#loop) this.#loop.fail(error);
    else this.onFatal(error);
  }

  /** Every item, in order; subscribes when not yet subscribed. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    const handoff = new Handoff<Item>();
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

  protected onFatal(error: Error): void {
    for (const handoff of this.#handoffs) handoff.end(error);
    if (this.#events.listenerCount('error') > 0) this.#events.emit('error', error);
    else this.#deps.onFatalUnhandled(error);
  }

  /** Hands an item to every `for await` reader; resolves when each has taken it. */
  protected offer(item: Item): Maybe {
    if (this.#handoffs.size === 0) return;
    const puts = [...this.#handoffs].map((h) => h.put(item));
    return puts.length === 1 ? puts[0] : Promise.all(puts).then(() => undefined);
  }
}

/** Runs `next` after `result`, synchronously when `result` is not a promise. */
export function then(result: Maybe, next: () => Maybe): Maybe {
  if (result && typeof result.then === 'function') return result.then(next);
  return next();
}
