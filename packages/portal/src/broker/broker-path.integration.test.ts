// The whole broker path against a real Kafka 4 broker started from the Maven jars: the portal's
// admin (SCRAM) creates topics, the reconciler grants ACLs to streaming-token principals, and
// clients authenticated with JWTs (OAUTHBEARER, validated against a JWKS) are allowed or refused.
// Run: node --test packages/portal/src/broker/broker-path.integration.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Admin, MessagesStreamModes } from '@platformatic/kafka';
import { startTestBroker, type TestBroker } from '../../../../kafka/test-broker.ts';
import { tokenClients } from '../../../../kafka/test-clients.ts';
import { eventually, kafkaErrorIds, rejectionOf } from '../../../../kafka/test-support.ts';
import type { ActivePrincipal } from './acl-plan.ts';
import { type AclReconciler, createAclReconciler } from './acl-reconciler.ts';
import { createKafkaAdmin, type KafkaAdmin } from './kafka-admin.ts';
import { KafkaTopicExistsError, KafkaTopicNotFoundError, KafkaUnavailableError } from './kafka-errors.ts';

describe('Streamgate Kafka broker', { timeout: 600_000 }, () => {
  let broker: TestBroker;
  let admin: KafkaAdmin;
  let reconciler: AclReconciler;
  let active: ActivePrincipal[] = [];
  const reconcilerLog: string[] = [];
  const clients = tokenClients(() => broker.server.bootstrap);
  const sign = (sub: string, overrides?: Parameters<TestBroker['jwks']['sign']>[1]) =>
    broker.jwks.sign(sub, overrides);

  before(async (t) => {
    broker = await startTestBroker();
    t.diagnostic(
      `first start (jars, format, JVM, readiness): ${broker.firstStartMs} ms at ${broker.server.bootstrap}`,
    );
    admin = createKafkaAdmin({
      bootstrap: broker.server.bootstrap,
      username: broker.adminUser,
      password: broker.adminPassword,
      mechanism: 'SCRAM-SHA-512',
    });
    reconciler = createAclReconciler({
      admin,
      listActivePrincipals: async () => active,
      intervalMs: 500,
      logger: {
        info: (message, details) => reconcilerLog.push(`info ${message} ${JSON.stringify(details)}`),
        warn: (message, details) => reconcilerLog.push(`warn ${message} ${JSON.stringify(details)}`),
      },
    });
  });

  after(async () => {
    await reconciler?.stop();
    await admin?.close();
    await broker?.close();
  });

  test('the admin creates and describes topics; duplicates and unknown topics are typed errors', async () => {
    const created = await admin.createTopic({
      name: 'ws1-orders',
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' },
    });
    assert.deepEqual(
      { partitions: created.partitions, replicationFactor: created.replicationFactor },
      { partitions: 2, replicationFactor: 1 },
    );
    await admin.createTopic({ name: 'ws2-orders', partitions: 1, replicationFactor: 1 });

    assert.deepEqual(await admin.listTopics(), ['ws1-orders', 'ws2-orders']);
    assert.deepEqual(await admin.listTopics('ws1-'), ['ws1-orders']);
    const described = await admin.describeTopic('ws1-orders');
    assert.deepEqual(described, {
      name: 'ws1-orders',
      partitions: 2,
      replicationFactor: 1,
      configs: { 'retention.ms': '3600000', 'retention.bytes': '-1', 'cleanup.policy': 'delete' },
    });

    await assert.rejects(
      admin.createTopic({ name: 'ws1-orders', partitions: 1, replicationFactor: 1 }),
      KafkaTopicExistsError,
    );
    await assert.rejects(admin.describeTopic('ws1-missing'), KafkaTopicNotFoundError);
    await assert.rejects(admin.deleteTopic('ws1-missing'), KafkaTopicNotFoundError);
    await admin.createTopic({ name: 'ws1-scratch', partitions: 1, replicationFactor: 1 });
    await admin.deleteTopic('ws1-scratch');
    await eventually('ws1-scratch to disappear', async () =>
      (await admin.listTopics('ws1-scratch')).length === 0 ? true : undefined,
    );
  });

  test('the reconciler grants prefixed ACLs to the active principals, once', async () => {
    active = [
      { principal: 'sgt-a', workspaceId: 'ws1' },
      { principal: 'sgt-b', workspaceId: 'ws2' },
    ];
    assert.deepEqual(await reconciler.reconcileNow(), { created: 16, deleted: 0, skipped: [] });
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: 0, skipped: [] });
    const acls = await admin.describeAcls({ principal: 'User:sgt-a' });
    assert.equal(acls.length, 8);
    assert.ok(acls.every((acl) => acl.resourceName === 'ws1-' && acl.patternType === 'PREFIXED'));
    assert.ok(acls.every((acl) => acl.resourceType !== 'CLUSTER'));
  });

  test('sgt-a produces and consumes on its own workspace topic', async (t) => {
    const jwt = sign('sgt-a');
    const producer = clients.producer(t, jwt, { idempotent: true });
    await producer.send({ messages: [{ topic: 'ws1-orders', key: 'order-1', value: 'hello from sgt-a' }] });

    const consumer = clients.consumer(t, jwt, 'ws1-orders-reader');
    const stream = await consumer.consume({ topics: ['ws1-orders'], mode: MessagesStreamModes.EARLIEST });
    let received: string | undefined;
    for await (const message of stream) {
      received = message.value;
      break;
    }
    await stream.close();
    assert.equal(received, 'hello from sgt-a');
  });

  test('sgt-a may use transactional ids under its own prefix only', async (t) => {
    const jwt = sign('sgt-a');
    // beginTransaction() runs InitProducerId, which checks WRITE on the transactional id.
    const own = clients.producer(t, jwt, { idempotent: true, transactionalId: 'ws1-tx-1' });
    await own.beginTransaction();
    // No record is sent in it: @platformatic/kafka 2.12 adds partitions with AddPartitionsToTxn v5,
    // a broker-to-broker version that needs CLUSTER_ACTION (clients must use v3 or less), so its
    // transactional sends fail with CLUSTER_AUTHORIZATION_FAILED under least privilege.

    const foreign = clients.producer(t, jwt, { idempotent: true, transactionalId: 'ws2-tx-1' });
    const error = await rejectionOf(foreign.beginTransaction());
    assert.ok(
      kafkaErrorIds(error).has('TRANSACTIONAL_ID_AUTHORIZATION_FAILED'),
      [...kafkaErrorIds(error)].join(),
    );
  });

  test('sgt-a is denied on ws2-orders (produce, consume) and does not see it when listing', async (t) => {
    const jwt = sign('sgt-a');
    const produceError = await rejectionOf(
      clients.producer(t, jwt).send({ messages: [{ topic: 'ws2-orders', key: 'k', value: 'intrusion' }] }),
    );
    assert.ok(
      kafkaErrorIds(produceError).has('TOPIC_AUTHORIZATION_FAILED'),
      [...kafkaErrorIds(produceError)].join(),
    );

    // A group it may use, so that only the topic ACL can be what refuses it.
    const consumeError = await rejectionOf(
      clients.consumer(t, jwt, 'ws1-sneaky').consume({
        topics: ['ws2-orders'],
        mode: MessagesStreamModes.EARLIEST,
      }),
    );
    assert.ok(
      kafkaErrorIds(consumeError).has('TOPIC_AUTHORIZATION_FAILED'),
      [...kafkaErrorIds(consumeError)].join(),
    );

    const groupError = await rejectionOf(
      clients.consumer(t, jwt, 'ws2-group').consume({
        topics: ['ws1-orders'],
        mode: MessagesStreamModes.EARLIEST,
      }),
    );
    assert.ok(
      kafkaErrorIds(groupError).has('GROUP_AUTHORIZATION_FAILED'),
      [...kafkaErrorIds(groupError)].join(),
    );

    assert.deepEqual(await clients.admin(t, jwt).listTopics(), ['ws1-orders']);
  });

  test('JWTs signed by an unknown key, or for another audience or issuer, are refused', async (t) => {
    for (const [label, jwt] of [
      ['unknown key', broker.jwks.signWithUnknownKey('sgt-a')],
      ['wrong audience', sign('sgt-a', { aud: 'not-kafka' })],
      ['wrong issuer', sign('sgt-a', { iss: 'http://127.0.0.1:1' })],
      ['expired', sign('sgt-a', { expiresInMs: -120_000 })],
    ] as const) {
      // No retries: a refused token is wrapped in a (retriable) NetworkError by the client.
      const error = await rejectionOf(clients.admin(t, jwt, 0).listTopics());
      const ids = kafkaErrorIds(error);
      assert.ok(
        ids.has('PLT_KFK_AUTHENTICATION') || ids.has('SASL_AUTHENTICATION_FAILED'),
        `${label}: ${[...ids].join()}`,
      );
    }
  });

  test('removing sgt-a from the active tokens makes its next produce fail, on the same connection', async (t) => {
    const jwt = sign('sgt-a');
    const producer = clients.producer(t, jwt);
    await producer.send({ messages: [{ topic: 'ws1-orders', key: 'before', value: 'still allowed' }] });

    active = active.filter((p) => p.principal !== 'sgt-a');
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: 8, skipped: [] });

    const error = await eventually('the revoked producer to be refused', async () => {
      try {
        await producer.send({ messages: [{ topic: 'ws1-orders', key: 'after', value: 'must be refused' }] });
        return undefined;
      } catch (error) {
        return error;
      }
    });
    assert.ok(kafkaErrorIds(error).has('TOPIC_AUTHORIZATION_FAILED'), [...kafkaErrorIds(error)].join());
    // sgt-b (another workspace's token) is untouched.
    assert.equal((await admin.describeAcls({ principal: 'User:sgt-b' })).length, 8);
  });

  test('after a restart topics and ACLs survive, and the reconciler converges once the broker is back', async (t) => {
    const stopping = Date.now();
    await broker.stopBroker();
    t.diagnostic(`broker stopped in ${Date.now() - stopping} ms`);

    // While the broker is down: a rotation happens (sgt-c replaces sgt-b). The timer-driven
    // reconciler fails, records it, and keeps going.
    active = [{ principal: 'sgt-c', workspaceId: 'ws2' }];
    await assert.rejects(reconciler.reconcileNow(), KafkaUnavailableError);
    assert.ok(reconciler.lastError instanceof KafkaUnavailableError);
    reconciler.start();
    await eventually('a failed tick to be logged', async () =>
      reconcilerLog.some((line) => line.startsWith('warn Kafka ACL reconciliation failed'))
        ? true
        : undefined,
    );

    t.diagnostic(`restart on the same data dir: ${await broker.startBroker()} ms`);
    const restartedAt = new Date();
    await eventually('the reconciler to converge after the restart', async () =>
      reconciler.lastError === null && (reconciler.lastReconciledAt ?? new Date(0)) >= restartedAt
        ? true
        : undefined,
    );
    await reconciler.stop();
    for (const line of reconcilerLog.filter((l) => l.startsWith('info')).slice(-3))
      t.diagnostic(`reconciler: ${line}`);

    assert.deepEqual(await admin.listTopics(), ['ws1-orders', 'ws2-orders']);
    // DescribeAcls is served from the broker's metadata image, which trails the controller's commit
    // by a moment (seconds on a loaded machine); the admin waits for that, but only up to a bound.
    await eventually('the ACLs to show only sgt-c', async () => {
      const principals = new Set((await admin.describeAcls()).map((acl) => acl.principal));
      return principals.size === 1 && principals.has('User:sgt-c') ? true : undefined;
    });

    // The records written before the restart are still there.
    const superuser = new Admin({
      clientId: 'it-offsets',
      bootstrapBrokers: [broker.server.bootstrap],
      sasl: { mechanism: 'SCRAM-SHA-512', username: broker.adminUser, password: broker.adminPassword },
    });
    t.after(() => superuser.close().catch(() => {}));
    const [offsets] = await superuser.listOffsets({
      topics: [
        {
          name: 'ws1-orders',
          partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, timestamp: -1n })),
        },
      ],
    });
    const records = (offsets?.partitions ?? []).reduce((sum, p) => sum + p.offset, 0n);
    assert.ok(records >= 2n, `ws1-orders holds ${records} records`);

    // The new ws2 token works and sees only its workspace.
    const jwt = sign('sgt-c');
    assert.deepEqual(await clients.admin(t, jwt).listTopics(), ['ws2-orders']);
    await clients
      .producer(t, jwt)
      .send({ messages: [{ topic: 'ws2-orders', key: 'k', value: 'after restart' }] });
  });
});
