// Issue 10, the portal's own Kafka admin connection: each test is named after the attack it stops.
// A broker reached over SASL_SSL must get TLS from the portal's admin too, or the admin's SCRAM
// exchange and every ACL change cross the network in clear and can be redirected.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { createKafkaAdmin } from '../broker/kafka-admin.ts';
import { kafkaAdminOptions } from '../broker/kafka-connection.ts';
import type { PortalConfig } from '../config.ts';

const caPem = '-----BEGIN CERTIFICATE-----\nMIIBdummyCAforOptionsOnly\n-----END CERTIFICATE-----\n';

const kafkaConfig = (overrides: Partial<PortalConfig['kafka']>): PortalConfig['kafka'] => ({
  bootstrap: '127.0.0.1:9093',
  adminUser: 'streamgate-admin',
  adminPassword: 'admin-secret-for-tests',
  securityProtocol: 'SASL_PLAINTEXT',
  caCertPem: null,
  reconcileIntervalMs: 30_000,
  defaultReplicationFactor: 1,
  plain: true,
  ...overrides,
});

/** The first byte a client sends to this server: 0x16 opens a TLS handshake, 0x00 a Kafka request. */
async function firstByteFromAdmin(protocol: 'SASL_SSL' | 'SASL_PLAINTEXT'): Promise<number> {
  const sockets: Socket[] = [];
  let resolveByte: (byte: number) => void = () => {};
  const firstByte = new Promise<number>((resolve) => {
    resolveByte = resolve;
  });
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.once('data', (chunk: Buffer) => {
      resolveByte(chunk[0] as number);
      socket.destroy();
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const admin = createKafkaAdmin({
    ...kafkaAdminOptions(kafkaConfig({ bootstrap: `127.0.0.1:${port}`, securityProtocol: protocol })),
    operationTimeoutMs: 3000,
  });
  try {
    await admin.listTopics().catch(() => {});
    return await firstByte;
  } finally {
    await admin.close();
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}

describe('Kafka admin connection attacks', () => {
  it("the portal's admin does not talk in clear to a SASL_SSL broker (its SCRAM login and ACL changes)", async () => {
    assert.equal(await firstByteFromAdmin('SASL_SSL'), 0x16);
    // The same probe tells the two apart: without TLS the first byte is a Kafka request's size.
    assert.equal(await firstByteFromAdmin('SASL_PLAINTEXT'), 0x00);
  });

  it("the portal's admin verifies the broker against STREAMGATE_KAFKA_CA_PEM, as clients do", () => {
    const options = kafkaAdminOptions(kafkaConfig({ securityProtocol: 'SASL_SSL', caCertPem: caPem }));
    assert.deepEqual(options.tls, { ca: caPem, rejectUnauthorized: true });
    // Without a private CA: TLS against the system's CAs, never unverified.
    const systemCas = kafkaAdminOptions(kafkaConfig({ securityProtocol: 'SASL_SSL' }));
    assert.deepEqual(systemCas.tls, { rejectUnauthorized: true });
    assert.equal(kafkaAdminOptions(kafkaConfig({ caCertPem: caPem })).tls, undefined);
  });
});
