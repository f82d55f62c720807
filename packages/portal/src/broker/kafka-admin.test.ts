// The admin's behaviour when Kafka is not there (no broker needed). Its behaviour against a real
// broker is covered by broker-path.integration.test.ts, its translation of Kafka's errors by
// kafka-errors.test.ts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { BrokerUnavailableError } from '../errors.ts';
import { createKafkaAdmin } from './kafka-admin.ts';
import { KafkaUnavailableError } from './kafka-errors.ts';

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('createKafkaAdmin without a broker', () => {
  const sockets = new Set<Socket>();
  // Accepts TCP connections and never answers: a hung broker.
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  }).listen(0, '127.0.0.1');
  after(() => {
    for (const socket of sockets) socket.destroy();
    silent.close();
  });

  test('a refused connection is KafkaUnavailableError (503), not a hang', async () => {
    const admin = createKafkaAdmin({
      bootstrap: `127.0.0.1:${await closedPort()}`,
      username: 'admin',
      password: 'admin-secret',
      mechanism: 'SCRAM-SHA-512',
    });
    try {
      const error = await admin.listTopics().then(
        () => assert.fail('listTopics succeeded without a broker'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof KafkaUnavailableError);
      assert.ok(error instanceof BrokerUnavailableError);
      assert.equal(error.code, 'PORTAL_BROKER_UNAVAILABLE');
      assert.equal(error.reason, 'unreachable');
      assert.doesNotMatch(error.message, /admin-secret/);
      await assert.rejects(admin.describeAcls(), KafkaUnavailableError);
    } finally {
      await admin.close();
    }
  });

  test('a broker that never answers is cut off by the operation timeout', async () => {
    if (!silent.listening) await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const admin = createKafkaAdmin({
      bootstrap: `127.0.0.1:${port}`,
      username: 'admin',
      password: 'admin-secret',
      mechanism: 'SCRAM-SHA-512',
      operationTimeoutMs: 500,
    });
    try {
      await assert.rejects(admin.listTopics(), KafkaUnavailableError);
    } finally {
      await admin.close();
    }
  });

  test('misuse is a TypeError, raised before any network call', async () => {
    assert.throws(
      () => createKafkaAdmin({ bootstrap: [], username: 'a', password: 'b', mechanism: 'SCRAM-SHA-512' }),
      TypeError,
    );
    const admin = createKafkaAdmin({
      bootstrap: `127.0.0.1:${await closedPort()}`,
      username: 'a',
      password: 'b',
      mechanism: 'SCRAM-SHA-512',
    });
    assert.throws(() => admin.createTopic({ name: 'ws1-x', partitions: 0, replicationFactor: 1 }), TypeError);
    assert.throws(() => admin.deleteTopic(''), TypeError);
    await admin.close();
    await assert.rejects(admin.listTopics(), /closed/);
  });
});
