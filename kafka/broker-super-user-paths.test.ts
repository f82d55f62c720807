// Attacks on the broker's super-user paths: a local process talking to an internal listener
// without credentials (it used to be User:ANONYMOUS, a super user), and a JWT whose subject names
// the portal's admin principal or the broker's own. Against a real Kafka 4.4 broker.
// Run: ./streamgate test broker-super-user
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Admin } from '@platformatic/kafka';
import { loadBrokerState } from './broker-state.ts';
import { internalPrincipal } from './kafka-server.ts';
import { startTestBroker, type TestBroker } from './test-broker.ts';
import { tokenClients } from './test-clients.ts';
import { kafkaErrorIds, rejectionOf } from './test-support.ts';

/**
 * Sends DescribeCluster v0 (which the client, inter-broker and controller listeners all serve)
 * without authenticating first, and says whether the broker answered or hung up. A PLAINTEXT
 * listener answers; a SASL listener closes the connection at a request before the handshake.
 */
async function answersWithoutAuthentication(port: number): Promise<boolean> {
  const clientId = Buffer.from('unauthenticated-probe');
  const body = Buffer.concat([
    Buffer.from([0, 60, 0, 0]), // api key 60 (DescribeCluster), version 0
    Buffer.from([0, 0, 0, 7]), // correlation id
    Buffer.from([0, clientId.length]),
    clientId,
    Buffer.from([0]), // header tagged fields
    Buffer.from([0]), // include_cluster_authorized_operations = false
    Buffer.from([0]), // body tagged fields
  ]);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let received = 0;
    socket.setTimeout(15_000, () => {
      socket.destroy();
      reject(new Error(`No answer and no hang-up from port ${port} within 15 s.`));
    });
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received >= 8) socket.destroy();
    });
    socket.on('error', () => {}); // a reset is a hang-up too
    socket.on('close', () => resolve(received >= 8));
  });
}

describe('super-user paths at the broker', { timeout: 300_000 }, () => {
  let broker: TestBroker;
  const clients = tokenClients(() => broker.server.bootstrap);

  before(async () => {
    broker = await startTestBroker();
  });
  after(async () => {
    await broker?.close();
  });

  test('a local client without credentials is refused on every listener (client, controller, inter-broker)', async () => {
    const state = await loadBrokerState(broker.dataDir);
    assert.ok(state);
    for (const [listener, port] of Object.entries(state.ports)) {
      assert.equal(await answersWithoutAuthentication(port), false, `the ${listener} listener answered`);
    }
    const properties = await readFile(join(broker.dataDir, 'server.properties'), 'utf8');
    assert.doesNotMatch(properties, /ANONYMOUS/);
    assert.doesNotMatch(properties, /:PLAINTEXT/);
  });

  test('a local client guessing the broker principal on the internal listeners is refused', async (t) => {
    const state = await loadBrokerState(broker.dataDir);
    assert.ok(state);
    const admin = new Admin({
      clientId: 'guessing-internal',
      bootstrapBrokers: [`127.0.0.1:${state.ports.internal}`],
      sasl: { mechanism: 'PLAIN', username: internalPrincipal, password: 'guessed' },
      retries: 0,
    });
    t.after(() => admin.close().catch(() => {}));
    const ids = kafkaErrorIds(await rejectionOf(admin.listTopics()));
    assert.ok(ids.has('SASL_AUTHENTICATION_FAILED') || ids.has('PLT_KFK_AUTHENTICATION'), [...ids].join(','));
  });

  for (const who of ['the admin', 'the broker']) {
    test(`a JWT whose subject names ${who} principal, signed by the trusted key, gets no login`, async (t) => {
      const sub = who === 'the admin' ? broker.adminUser : internalPrincipal;
      const admin = clients.admin(t, broker.jwks.sign(sub), 0);
      const ids = kafkaErrorIds(
        await rejectionOf(admin.createTopics({ topics: ['stolen'], partitions: 1, replicas: 1 })),
      );
      assert.ok(
        ids.has('SASL_AUTHENTICATION_FAILED') || ids.has('PLT_KFK_AUTHENTICATION'),
        [...ids].join(','),
      );
      // The same key still logs streaming-token principals in (so the refusal is the subject's).
      const token = clients.admin(t, broker.jwks.sign('sgt-superuser-control'), 0);
      assert.ok(Array.isArray(await token.listTopics()));
    });
  }
});
