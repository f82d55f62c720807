// The consume loop against a real broker that goes away: what @platformatic/kafka does that the
// loop must not wait on, and the loop reading on across a broker restart and closing without one.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin, Consumer, type Message, Producer } from '@platformatic/kafka';
import { startTestBroker, type TestBroker } from '../../../../kafka/test-broker.ts';
import type { KafkaConnectionOptions } from './connection.ts';
import { ConsumeLoop } from './consume-loop.ts';

describe('a consume loop and a broker that goes away', { timeout: 300_000 }, () => {
  let broker: TestBroker;
  const topic = 'loop-restart';
  const connection = (): KafkaConnectionOptions => ({
    clientId: 'consume-loop-it',
    bootstrapBrokers: [broker.server.bootstrap],
    sasl: { mechanism: 'SCRAM-SHA-512', username: broker.adminUser, password: broker.adminPassword },
    connectTimeout: 3_000,
    requestTimeout: 10_000,
    retries: 3,
    retryDelay: 250,
    metadataMaxAge: 180_000,
  });

  async function produce(values: string[]): Promise<void> {
    const producer = new Producer({ ...connection(), clientId: 'consume-loop-it-producer' });
    try {
      await producer.send({ messages: values.map((value) => ({ topic, value: Buffer.from(value) })) });
    } finally {
      await producer.close().catch(() => {});
    }
  }

  before(async () => {
    broker = await startTestBroker();
    const admin = new Admin(connection());
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
    } finally {
      await admin.close();
    }
  });

  after(async () => {
    await broker?.close();
  });

  test('@platformatic/kafka 2.12.1: message.commit() never settles once its consumer is out of the group', async () => {
    // Why the loop commits through Consumer.commit(), bounded: a loop awaiting this after a broker
    // kill (its consumer rejoining, or out of the group after a failed join) stopped for good.
    await produce(['a']);
    const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
      ...connection(),
      groupId: 'commit-hang',
      autocommit: false,
    });
    try {
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest' });
      let first: Message<Buffer, Buffer, Buffer, Buffer> | undefined;
      // Leaving the loop destroys the stream, as a failed fetch does.
      for await (const message of stream) {
        first = message;
        break;
      }
      assert.ok(first);
      await consumer.leaveGroup(true);
      assert.equal(consumer.isActive(), false);
      const committed = Promise.resolve(first.commit()).then(
        () => 'settled',
        () => 'settled',
      );
      assert.equal(await Promise.race([committed, sleep(3_000).then(() => 'pending')]), 'pending');
    } finally {
      await consumer.close(true).catch(() => {});
    }
  });

  test('the loop reads on after the broker restarts, and close() returns once the broker is gone', async () => {
    const read: string[] = [];
    const fatal: Error[] = [];
    const loop = new ConsumeLoop({
      connection: connection(),
      topic,
      groupId: 'loop-restart',
      autoOffsetReset: 'earliest',
      commit: { enabled: true, intervalMs: 500, everyMessages: 100 },
      handle: (message) => {
        read.push(message.value.toString());
      },
      classify: async (error) => (error instanceof Error ? error : new Error(String(error))),
      onFatal: (error) => fatal.push(error),
      stallMs: 10_000,
    });
    try {
      await loop.start();
      await produce(['before']);
      await waitUntil('the message before the restart', () => read.includes('before'));
      await broker.stopBroker();
      await sleep(2_000);
      await broker.startBroker();
      await produce(['after']);
      await waitUntil('the message after the restart', () => read.includes('after'), 90_000);
      assert.deepEqual(fatal, []);
      await broker.stopBroker();
      const closing = Date.now();
      await loop.close().catch(() => {});
      // Each step is bounded (commit, the loop, the group leave, the force close: 5 s each).
      assert.ok(Date.now() - closing < 25_000, `close() took ${Date.now() - closing} ms`);
    } finally {
      await loop.close().catch(() => {});
    }
  });
});

async function waitUntil(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
