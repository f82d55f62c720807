// A throw-away broker for integration tests: a JWKS on loopback, a temp data dir, Kafka started
// against both, and one call that undoes it all.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaServer, startKafka } from './kafka-server.ts';
import { startTestJwks, type TestJwks } from './test-jwks.ts';

export interface TestBroker {
  jwks: TestJwks;
  dataDir: string;
  adminUser: string;
  adminPassword: string;
  /** How long the first start (jar check, format, JVM start, readiness) took. */
  firstStartMs: number;
  /** The running broker; throws while it is stopped. */
  readonly server: KafkaServer;
  /** (Re)starts the broker on the same data dir; resolves with how long that took. */
  startBroker(): Promise<number>;
  stopBroker(): Promise<void>;
  /** Stops everything and deletes the data dir; safe to call after a failed start. */
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamgate-kafka-it-'));
  let jwks: TestJwks | null = null;
  let server: KafkaServer | null = null;
  const adminUser = 'streamgate-admin';
  const adminPassword = 'it-admin-password';

  const close = async () => {
    await server?.stop();
    server = null;
    await jwks?.close();
    await rm(dataDir, { recursive: true, force: true });
  };

  const startBroker = async () => {
    if (!jwks) throw new Error('The test JWKS is not running.');
    const started = Date.now();
    server = await startKafka({
      dataDir,
      jwksUrl: jwks.url,
      issuer: jwks.issuer,
      audience: jwks.audience,
      adminUser,
      adminPassword,
      // Short sessions: clients re-authenticate during the tests. It also bounds how long
      // @platformatic/kafka's re-auth timers of connections closed by a broker restart keep the
      // test process alive (the client does not clear them when the broker hangs up).
      reauthMs: 10_000,
    });
    return Date.now() - started;
  };

  let firstStartMs: number;
  try {
    jwks = await startTestJwks();
    firstStartMs = await startBroker();
  } catch (error) {
    await close();
    throw error;
  }

  const ready = jwks;
  return {
    jwks: ready,
    dataDir,
    adminUser,
    adminPassword,
    firstStartMs,
    get server() {
      if (!server) throw new Error('The test broker is stopped.');
      return server;
    },
    startBroker,
    async stopBroker() {
      await server?.stop();
      server = null;
    },
    close,
  };
}
