// The three-node cluster's configuration and its checks, without starting a JVM (the cluster
// itself runs in packages/portal/src/broker/three-brokers.integration.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { renderServerProperties } from './broker-properties.ts';
import { startKafkaCluster } from './kafka-cluster.ts';

const settings = {
  host: '127.0.0.1',
  advertisedHost: '127.0.0.1',
  clientPort: 9092,
  controllerPort: 9093,
  internalPort: 9094,
  logDir: '/tmp/kafka-data',
  jwksUrl: 'http://127.0.0.1:8700/.well-known/jwks.json',
  issuer: 'http://127.0.0.1:8700',
  audience: 'kafka',
  adminUser: 'streamgate-admin',
  internalUser: 'streamgate-broker',
  internalPassword: 'secret-1',
  reauthMs: 60_000,
};

const voters = [
  { nodeId: 1, controllerPort: 9093 },
  { nodeId: 2, controllerPort: 9193 },
  { nodeId: 3, controllerPort: 9293 },
];

/** The value of each key; a key written twice would be a bug (Java keeps the last). */
function parse(properties: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of properties.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const index = line.indexOf('=');
    const key = line.slice(0, index);
    assert.ok(!map.has(key), `${key} written twice`);
    map.set(key, line.slice(index + 1));
  }
  return map;
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('a node of the three-node cluster', () => {
  it('alone (no cluster): node 1, the sole voter of a dynamic quorum, replication 1', () => {
    const p = parse(renderServerProperties(settings));
    assert.equal(p.get('node.id'), '1');
    assert.equal(p.get('controller.quorum.bootstrap.servers'), '127.0.0.1:9093');
    assert.equal(p.has('controller.quorum.voters'), false);
    for (const key of [
      'default.replication.factor',
      'min.insync.replicas',
      'offsets.topic.replication.factor',
      'transaction.state.log.replication.factor',
      'transaction.state.log.min.isr',
    ])
      assert.equal(p.get(key), '1', key);
  });

  it('in the cluster: its node id, the three static voters, replication 3 and min.insync.replicas 2', () => {
    const p = parse(
      renderServerProperties({
        ...settings,
        controllerPort: 9193,
        cluster: { nodeId: 2, voters, replicationFactor: 3, minInsyncReplicas: 2 },
      }),
    );
    assert.equal(p.get('node.id'), '2');
    assert.equal(p.get('controller.quorum.voters'), '1@127.0.0.1:9093,2@127.0.0.1:9193,3@127.0.0.1:9293');
    assert.equal(p.has('controller.quorum.bootstrap.servers'), false, 'never both quorum keys');
    assert.equal(p.get('process.roles'), 'broker,controller');
    assert.equal(p.get('default.replication.factor'), '3');
    assert.equal(p.get('min.insync.replicas'), '2');
    assert.equal(p.get('offsets.topic.replication.factor'), '3');
    assert.equal(p.get('transaction.state.log.replication.factor'), '3');
    assert.equal(p.get('transaction.state.log.min.isr'), '2');
    assert.equal(p.get('share.coordinator.state.topic.replication.factor'), '3');
    assert.equal(p.get('share.coordinator.state.topic.min.isr'), '2');
    // The same security as the single broker: nothing unauthenticated, no implicit access.
    assert.equal(
      p.get('listener.security.protocol.map'),
      'CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT',
    );
    assert.equal(p.get('super.users'), 'User:streamgate-broker;User:streamgate-admin');
    assert.equal(p.get('allow.everyone.if.no.acl.found'), 'false');
  });

  it('refuses a node that is not a voter on its own port, and min.insync.replicas above the factor', () => {
    const cluster = { nodeId: 2, voters, replicationFactor: 3, minInsyncReplicas: 2 };
    assert.throws(() => renderServerProperties({ ...settings, cluster }), /one of the voters/);
    assert.throws(
      () => renderServerProperties({ ...settings, cluster: { ...cluster, nodeId: 4, voters } }),
      /one of the voters/,
    );
    assert.throws(
      () =>
        renderServerProperties({
          ...settings,
          controllerPort: 9193,
          cluster: { ...cluster, minInsyncReplicas: 4 },
        }),
      /min\.insync\.replicas/,
    );
  });
});

describe('startKafkaCluster', () => {
  const options = {
    jwksUrl: settings.jwksUrl,
    issuer: settings.issuer,
    audience: settings.audience,
    adminUser: 'streamgate-admin',
    adminPassword: 'pw',
  };

  it('starts three nodes, no other number', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-cluster-size-'));
    dirs.push(dataDir);
    await assert.rejects(startKafkaCluster({ ...options, dataDir, brokers: 5 }), /3 nodes, not 5/);
  });

  it('keeps a data dir to the cluster size it was made with: the voters cannot change', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-cluster-size-'));
    dirs.push(dataDir);
    writeFileSync(
      join(dataDir, 'streamgate-kafka-cluster.json'),
      JSON.stringify({ clusterId: 'abc', brokers: 5 }),
    );
    await assert.rejects(startKafkaCluster({ ...options, dataDir, brokers: 3 }), /cluster of 5 nodes/);
  });
});
