// The consume loop's failure handling, against a Kafka consumer that misbehaves the way
// @platformatic/kafka 2.12.1's did after a broker was killed: a fetch that never calls back, a commit
// that never answers, an 'error' event when the group cannot be rejoined, a group leave that fails.
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumeLoop, type ConsumeLoopOptions, consumeLoopRestarts } from './consume-loop.ts';
import type {
  GroupConsumer,
  GroupConsumerFactory,
  KafkaMessage,
  KafkaMessagesStream,
} from './kafka-consumer.ts';

const never = () => new Promise<never>(() => {});

function message(partition: number, offset: number): KafkaMessage {
  return {
    topic: 't',
    partition,
    offset: BigInt(offset),
    leaderEpoch: 0,
    value: Buffer.from(`${partition}:${offset}`),
    // What @platformatic/kafka's message.commit() does while its consumer is out of the group.
    commit: never,
  } as unknown as KafkaMessage;
}

/** A stream that delivers what the test pushes, and nothing else. */
function stream(): Readable {
  return new Readable({ objectMode: true, read() {} });
}

interface Behaviour {
  commit?: () => Promise<void>;
  close?: () => Promise<void>;
}

class FakeConsumer extends EventEmitter implements GroupConsumer {
  commits: bigint[][] = [];
  closes = 0;
  forceClosed = false;
  active = true;
  memberId: string | null = null;
  joins = 0;
  #streams: Readable[];
  #behaviour: Behaviour;

  constructor(streams: Readable[], behaviour: Behaviour) {
    super();
    this.#streams = streams;
    this.#behaviour = behaviour;
  }

  async consume(): Promise<KafkaMessagesStream> {
    const next = this.#streams.shift();
    if (!next) throw new Error('no more streams in this test');
    this.memberId ??= 'member-1';
    this.emit('consumer:group:join', { assignments: [{ topic: 't', partitions: [0] }] });
    return next as unknown as KafkaMessagesStream;
  }

  async joinGroup(): Promise<string> {
    this.joins++;
    this.active = true;
    return this.memberId ?? '';
  }

  commit(options: { offsets: { offset: bigint }[] }): Promise<void> {
    this.commits.push(options.offsets.map((o) => o.offset));
    return this.#behaviour.commit?.() ?? Promise.resolve();
  }

  close(): Promise<void> {
    this.closes++;
    return this.#behaviour.close?.() ?? Promise.resolve();
  }

  isActive(): boolean {
    return this.active;
  }
}

/** Hands out one fake consumer per call, each with the streams listed for it. */
function consumers(plan: Readable[][], behaviour: Behaviour = {}) {
  const created: FakeConsumer[] = [];
  const factory: GroupConsumerFactory = {
    create: () => {
      const consumer = new FakeConsumer(plan[created.length] ?? [], behaviour);
      created.push(consumer);
      return consumer;
    },
    forceClose: async (consumer) => {
      (consumer as FakeConsumer).forceClosed = true;
    },
  };
  return { factory, created };
}

function loop(factory: GroupConsumerFactory, overrides: Partial<ConsumeLoopOptions> = {}) {
  const handled: string[] = [];
  const fatal: Error[] = [];
  const consumeLoop = new ConsumeLoop({
    connection: {} as ConsumeLoopOptions['connection'],
    topic: 't',
    groupId: 'g',
    autoOffsetReset: 'earliest',
    commit: { enabled: true, intervalMs: 60_000, everyMessages: 1_000 },
    handle: (m) => {
      handled.push(m.value.toString());
    },
    classify: async (error) => (error instanceof Error ? error : new Error(String(error))),
    onFatal: (error) => fatal.push(error),
    stallMs: 300,
    stepTimeoutMs: 200,
    consumers: factory,
    ...overrides,
  });
  return { consumeLoop, handled, fatal };
}

async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

describe('ConsumeLoop when Kafka misbehaves', () => {
  test('a stream whose fetch never calls back is replaced, reading on', async () => {
    const first = stream();
    const second = stream();
    const { factory, created } = consumers([[first, second]]);
    const restarts: unknown[] = [];
    const onRestart = (event: unknown) => restarts.push(event);
    subscribe(consumeLoopRestarts.name, onRestart);
    const { consumeLoop, handled } = loop(factory);
    try {
      await consumeLoop.start();
      first.push(message(0, 0));
      first.emit('fetch');
      await until('the first message', () => handled.length === 1);
      // Nothing more, no fetch completing: the watchdog (stallMs 300) starts over.
      second.push(message(0, 1));
      await until('the message after the restart', () => handled.length === 2, 3_000);
      assert.deepEqual(handled, ['0:0', '0:1']);
      assert.ok(first.destroyed);
      assert.equal(created.length, 1, 'a consumer still in its group is kept (a new stream is enough)');
      assert.equal(restarts.length, 1);
      assert.match(String((restarts[0] as { reason: Error }).reason.message), /no fetch completed/);
    } finally {
      unsubscribe(consumeLoopRestarts.name, onRestart);
      await consumeLoop.close().catch(() => {});
    }
  });

  test('a stalled consumer that is out of its group is replaced by a new one', async () => {
    const first = stream();
    const second = stream();
    const { factory, created } = consumers([[first], [second]]);
    const { consumeLoop, handled } = loop(factory);
    try {
      await consumeLoop.start();
      first.emit('fetch');
      created[0]!.active = false;
      await until('a second consumer', () => created.length === 2, 3_000);
      await until('the first consumer to be closed', () => created[0]!.closes === 1);
      second.push(message(0, 3));
      await until('a message from the new consumer', () => handled.length === 1);
    } finally {
      await consumeLoop.close().catch(() => {});
    }
  });

  test('a broken stream restarts even when the commit never answers (bounded commit)', async () => {
    const first = stream();
    const second = stream();
    const { factory, created } = consumers([[first, second]], { commit: never });
    const { consumeLoop, handled } = loop(factory);
    await consumeLoop.start();
    first.push(message(0, 0));
    await until('the first message', () => handled.length === 1);
    first.destroy(new Error('fetch failed: connection closed'));
    second.push(message(0, 1));
    await until('the message after the restart', () => handled.length === 2, 3_000);
    assert.deepEqual(created[0]!.commits, [[1n]], 'the offset after the handled message was committed');
    assert.equal(created.length, 1, 'a failed stream reuses the consumer');
    await consumeLoop.close().catch(() => {});
  });

  test("the consumer's 'error' (it could not rejoin its group) does not crash: it rejoins and reads on", async () => {
    const first = stream();
    const second = stream();
    const { factory, created } = consumers([[first, second]]);
    const { consumeLoop, handled, fatal } = loop(factory, { stallMs: 60_000 });
    await consumeLoop.start();
    first.emit('fetch');
    const consumer = created[0]!;
    // What @platformatic/kafka leaves behind: a member id, no heartbeat, the topic still tracked.
    consumer.active = false;
    consumer.emit('error', new Error('joinGroup failed 4 times'));
    second.push(message(0, 7));
    await until('a message after the rejoin', () => handled.length === 1, 3_000);
    assert.equal(consumer.joins, 1, 'joined again before reading');
    assert.equal(created.length, 1);
    assert.deepEqual(fatal, []);
    await consumeLoop.close();
    assert.equal(consumer.closes, 1);
  });

  test('no restart while the handler runs, nor while the member holds no partitions', async () => {
    const first = stream();
    const { factory, created } = consumers([[first]]);
    let release = () => {};
    const { consumeLoop, handled } = loop(factory, {
      handle: (m) => {
        handled.push(m.value.toString());
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    await consumeLoop.start();
    first.push(message(0, 0));
    await sleep(800);
    assert.equal(created.length, 1, 'a slow handler is not a stall');
    release();
    created[0]!.emit('consumer:group:join', { assignments: [] });
    await sleep(800);
    assert.equal(created.length, 1, 'nothing to fetch is not a stall');
    await consumeLoop.close();
  });

  test('close() is bounded: a group leave that fails or hangs ends in a force close', async () => {
    for (const close of [() => Promise.reject(new Error('leave refused')), never]) {
      const first = stream();
      const { factory, created } = consumers([[first]], { close });
      const { consumeLoop } = loop(factory, { stallMs: 60_000 });
      await consumeLoop.start();
      const began = Date.now();
      await consumeLoop.close();
      assert.ok(Date.now() - began < 2_000, `close took ${Date.now() - began} ms`);
      assert.equal(created[0]!.forceClosed, true);
    }
  });

  test('timer commits wait while the consumer is out of its group; commit() does not', async () => {
    const first = stream();
    const { factory, created } = consumers([[first]]);
    const { consumeLoop, handled } = loop(factory, {
      stallMs: 60_000,
      commit: { enabled: true, intervalMs: 50, everyMessages: 1_000 },
    });
    await consumeLoop.start();
    const consumer = created[0]!;
    consumer.active = false;
    first.push(message(0, 4));
    await until('the message', () => handled.length === 1);
    await sleep(200);
    assert.deepEqual(consumer.commits, []);
    await consumeLoop.commit();
    assert.deepEqual(consumer.commits, [[5n]]);
    await consumeLoop.close();
  });
});
