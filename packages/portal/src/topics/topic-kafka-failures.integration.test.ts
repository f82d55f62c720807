// Issue 11: a Kafka failure is translated once (broker/kafka-errors.ts), so the same cause is the
// same answer on every route. Provoked at a real broker (kafka/test-broker.ts): the portal's admin
// principal without permissions (the broker refuses the portal: 502 on create and on delete), a
// replication factor the one-node broker cannot meet (the caller's mistake: 400), and a broker
// that is not there (503 on create and on delete). Nothing is left half-done in any case.
// Run: node --test packages/portal/src/topics/topic-kafka-failures.integration.test.ts
import assert from 'node:assert/strict';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  Admin,
  alterUserScramCredentialsV0,
  type Connection,
  kGetBootstrapConnection,
} from '@platformatic/kafka';
import { startTestBroker, type TestBroker } from '../../../../kafka/test-broker.ts';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';

const limitedUser = 'portal-without-acls';
const limitedPassword = 'limited-password-for-tests';

/** A SCRAM-SHA-512 login that is not a super user and has no ACLs (AlterUserScramCredentials). */
async function addScramUser(broker: TestBroker, user: string, password: string): Promise<void> {
  const admin = new Admin({
    clientId: 'test-scram',
    bootstrapBrokers: [broker.server.bootstrap],
    sasl: { mechanism: 'SCRAM-SHA-512', username: broker.adminUser, password: broker.adminPassword },
  });
  try {
    const connection = await new Promise<Connection>((resolve, reject) =>
      admin[kGetBootstrapConnection]((error, value) =>
        error ? reject(error) : resolve(value as Connection),
      ),
    );
    const iterations = 8192;
    const salt = randomBytes(32);
    const saltedPassword = pbkdf2Sync(Buffer.from(password), salt, iterations, 64, 'sha512');
    // Mechanism 2 is SCRAM-SHA-512 in Kafka's protocol.
    await alterUserScramCredentialsV0.api.async(
      connection,
      [],
      [{ name: user, mechanism: 2, iterations, salt, saltedPassword }],
    );
  } finally {
    await admin.close();
  }
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

describe('Kafka failures on the topic routes', { timeout: 600_000 }, () => {
  let broker: TestBroker;
  const harnesses: Harness[] = [];
  const portalWith = async (kafka: { bootstrap: string; user: string; password: string }) => {
    const h = await startHarness({
      env: {
        STREAMGATE_KAFKA_BOOTSTRAP: kafka.bootstrap,
        STREAMGATE_KAFKA_ADMIN_USER: kafka.user,
        STREAMGATE_KAFKA_ADMIN_PASSWORD: kafka.password,
      },
    });
    harnesses.push(h);
    await h.createWorkspace('acme');
    return h;
  };
  /** A topic the portal knows as Ready (created at the broker by its super user when `atBroker`). */
  const knownTopic = async (h: Harness, name: string) => {
    const now = new Date();
    await h.portal.store.insertTopic({
      workspaceId: 'acme',
      name,
      kafkaName: `acme-${name}`,
      status: 'Ready',
      lastError: null,
      configuration: {
        partitions: 1,
        replicationFactor: 1,
        retentionInMinutes: 60,
        retentionInBytes: 1024,
        cleanupPolicy: 'Delete',
      },
      createdAt: now,
      updatedAt: now,
    });
  };
  const create = async (h: Harness, payload: Record<string, unknown>) =>
    h.inject({ method: 'POST', url: '/acme/topics', headers: (await h.admin()).headers, payload });
  const remove = async (h: Harness, name: string) =>
    h.inject({ method: 'DELETE', url: `/acme/topics/${name}`, headers: (await h.admin()).headers });
  const topicNames = async (h: Harness) =>
    (await h.portal.store.listTopics('acme')).map((t) => t.name).sort();

  before(async (t) => {
    broker = await startTestBroker();
    t.diagnostic(`broker ready in ${broker.firstStartMs} ms`);
    await addScramUser(broker, limitedUser, limitedPassword);
  });
  after(async () => {
    for (const h of harnesses) await h.close();
    await broker?.close();
  });

  it("the broker refusing the portal's admin is 502 PORTAL_BROKER_REFUSED on create and on delete", async () => {
    const h = await portalWith({
      bootstrap: broker.server.bootstrap,
      user: limitedUser,
      password: limitedPassword,
    });
    const created = await create(h, { name: 'orders' });
    assert.equal(created.statusCode, 502, created.body);
    assert.equal(created.json().code, 'PORTAL_BROKER_REFUSED');
    assert.match(
      created.json().message,
      /admin principal .*TOPIC_AUTHORIZATION_FAILED|CLUSTER_AUTHORIZATION_FAILED/,
    );
    assert.deepEqual(await topicNames(h), [], 'the record was withdrawn');

    await knownTopic(h, 'kept');
    const deleted = await remove(h, 'kept');
    assert.equal(deleted.statusCode, 502, deleted.body);
    assert.equal(deleted.json().code, 'PORTAL_BROKER_REFUSED');
    const kept = await h.portal.store.findTopic('acme', 'kept');
    assert.equal(kept?.status, 'Ready', 'the record is as it was');
  });

  it("the broker refusing the request itself is a 400 with Kafka's reason", async () => {
    const h = await portalWith({
      bootstrap: broker.server.bootstrap,
      user: broker.adminUser,
      password: broker.adminPassword,
    });
    const created = await create(h, { name: 'wide', configuration: { replicationFactor: 3 } });
    assert.equal(created.statusCode, 400, created.body);
    assert.equal(created.json().code, 'PORTAL_BAD_REQUEST');
    assert.match(created.json().message, /^Kafka refused topic acme-wide: .*replicat/i);
    assert.deepEqual(await topicNames(h), []);
  });

  it('a broker that is not there is 503 PORTAL_BROKER_UNAVAILABLE on create and on delete', async () => {
    const h = await portalWith({
      bootstrap: `127.0.0.1:${await closedPort()}`,
      user: broker.adminUser,
      password: broker.adminPassword,
    });
    const created = await create(h, { name: 'orders' });
    assert.equal(created.statusCode, 503, created.body);
    assert.equal(created.json().code, 'PORTAL_BROKER_UNAVAILABLE');
    assert.deepEqual(await topicNames(h), []);

    await knownTopic(h, 'kept');
    const deleted = await remove(h, 'kept');
    assert.equal(deleted.statusCode, 503, deleted.body);
    assert.equal(deleted.json().code, 'PORTAL_BROKER_UNAVAILABLE');
    assert.equal((await h.portal.store.findTopic('acme', 'kept'))?.status, 'Ready');
  });
});
