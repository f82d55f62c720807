// The admin's behaviour when Kafka is not there (no broker needed). Its behaviour against a real
// broker is covered by broker-path.integration.test.ts.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { BrokerUnavailableError, ConflictError, NotFoundError, PortalError } from '../errors.ts';
import { createKafkaAdmin } from './kafka-admin.ts';
import {
  KafkaAdminError,
  KafkaInvalidTopicError,
  KafkaTopicExistsError,
  KafkaTopicNotFoundError,
  KafkaUnavailableError,
  mapKafkaError,
} from './kafka-errors.ts';

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

describe('mapKafkaError', () => {
  // Shapes as @platformatic/kafka 2.x produces them (observed against Kafka 4.4).
  const protocol = (apiId: string, extra: object = {}) =>
    Object.assign(new Error('protocol'), { code: 'PLT_KFK_PROTOCOL', apiId, ...extra });
  const nested = (inner: Error) =>
    new AggregateError(
      [Object.assign(new AggregateError([inner], 'response'), { code: 'PLT_KFK_RESPONSE' })],
      'outer',
    );

  test('topic outcomes map to the portal errors the HTTP layer knows', () => {
    assert.ok(
      mapKafkaError(nested(protocol('TOPIC_ALREADY_EXISTS')), 'ws1-a') instanceof KafkaTopicExistsError,
    );
    assert.ok(mapKafkaError(nested(protocol('TOPIC_ALREADY_EXISTS')), 'ws1-a') instanceof ConflictError);
    assert.ok(
      mapKafkaError(nested(protocol('UNKNOWN_TOPIC_OR_PARTITION')), 'x') instanceof KafkaTopicNotFoundError,
    );
    assert.ok(mapKafkaError(nested(protocol('UNKNOWN_TOPIC_OR_PARTITION')), 'x') instanceof NotFoundError);
    const unknown = Object.assign(new Error('Unknown topic ws1-x.'), { code: 'PLT_KFK_USER' });
    assert.ok(mapKafkaError(unknown, 'ws1-x') instanceof KafkaTopicNotFoundError);
    const invalid = mapKafkaError(
      nested(
        protocol('INVALID_REPLICATION_FACTOR', {
          serverErrorMessage: 'Unable to replicate the partition 3 time(s)',
        }),
      ),
      'ws1-a',
    );
    assert.ok(invalid instanceof KafkaInvalidTopicError);
    assert.equal(invalid.kafkaCode, 'INVALID_REPLICATION_FACTOR');
    assert.match(invalid.message, /ws1-a: Unable to replicate/);
  });

  test('network, authentication and not-ready failures are all "unavailable"', () => {
    const refused = Object.assign(new Error('Connection failed'), {
      code: 'PLT_KFK_NETWORK',
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    assert.equal((mapKafkaError(nested(refused)) as KafkaUnavailableError).reason, 'unreachable');
    const auth = Object.assign(new Error('Connection failed'), {
      code: 'PLT_KFK_NETWORK',
      cause: Object.assign(new Error('SASL authentication failed.'), { code: 'PLT_KFK_AUTHENTICATION' }),
    });
    assert.equal((mapKafkaError(nested(auth)) as KafkaUnavailableError).reason, 'authentication');
    assert.equal(
      (mapKafkaError(nested(protocol('NOT_CONTROLLER'))) as KafkaUnavailableError).reason,
      'not-ready',
    );
  });

  test('anything else is an internal error that keeps the cause', () => {
    const cause = nested(protocol('CLUSTER_AUTHORIZATION_FAILED'));
    const mapped = mapKafkaError(cause);
    assert.ok(mapped instanceof KafkaAdminError);
    assert.ok(mapped instanceof PortalError);
    assert.equal(mapped.code, 'PORTAL_INTERNAL');
    assert.equal((mapped as KafkaAdminError).kafkaCode, 'CLUSTER_AUTHORIZATION_FAILED');
    assert.equal(mapped.cause, cause);
  });
});
