import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KafkaServer, startKafka } from '../../../kafka/kafka-server.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';
import { prepareStackTls, type StackTls } from './stack-tls.ts';

export interface Stack {
  portalUrl: string;
  kafkaBootstrap: string | null;
  adminEmail: string;
  adminPassword: string;
  kafkaAdmin: { user: string; password: string } | null;
  /** The broker's data dir (its log is `logs/server.log`); null without Kafka. */
  kafkaDataDir: string | null;
  portal: PortalProcess;
  kafka: KafkaServer | null;
  /** With `tls: true`: the CA clients must trust (the portal is HTTPS, the broker SASL_SSL). */
  tls: StackTls | null;
  /** Stops and starts the portal on the same data dir and port (as an upgrade or a crash would). */
  restartPortal(): Promise<void>;
  /** Stops and starts the broker on the same data dir and port (ACLs and topics survive). */
  restartKafka(): Promise<void>;
  stopKafka(): Promise<void>;
  startKafka(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Waits until the portal has applied the broker's ACLs after `since`. The portal starts before
 * the broker and reconciles on a timer, so right after the broker starts the tokens may not
 * have their ACLs yet: a client that produced then would be refused (and librdkafka drops a
 * refused message from its queue, which a flush() does not report).
 */
async function aclsReconciledSince(
  portalUrl: string,
  admin: { email: string; password: string },
  since: number,
): Promise<void> {
  // /readyz gives its details to organisation Admins only.
  const login = await fetch(`${portalUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin),
  });
  if (!login.ok) throw new Error(`admin login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${portalUrl}/readyz`, { headers: { cookie } }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as {
      checks?: Record<string, { ok: boolean; detail?: string }>;
    } | null;
    const acls = body?.checks?.['kafka-acls'];
    const prefix = 'reconciled at ';
    const at =
      acls?.ok && acls.detail?.startsWith(prefix) ? Date.parse(acls.detail.slice(prefix.length)) : Number.NaN;
    if (at >= since) return;
    if (Date.now() > deadline)
      throw new Error(`the portal did not reconcile the Kafka ACLs in 60 s: ${JSON.stringify(acls)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * A real portal process and, unless `kafka: false`, a real Kafka broker that validates the
 * portal's broker JWTs against its JWKS. The portal starts first (the broker fetches the JWKS
 * at start-up) and already knows where the broker will listen.
 */
export async function startStack(
  opts: { kafka?: boolean; env?: Record<string, string>; tls?: boolean } = {},
): Promise<Stack> {
  const withKafka = opts.kafka ?? true;
  const kafkaDir = mkdtempSync(join(tmpdir(), 'streamgate-kafka-'));
  const kafkaPort = withKafka ? await freePort() : 0;
  const kafkaAdmin = withKafka
    ? { user: 'streamgate-admin', password: randomBytes(18).toString('base64url') }
    : null;
  const portalDir = mkdtempSync(join(tmpdir(), 'streamgate-portal-'));
  const tls = opts.tls ? await prepareStackTls(portalDir) : null;
  const portalEnv: Record<string, string> = {
    STREAMGATE_KAFKA_RECONCILE_MS: '5000',
    ...tls?.portalEnv,
    ...(kafkaAdmin
      ? {
          STREAMGATE_KAFKA_BOOTSTRAP: `127.0.0.1:${kafkaPort}`,
          STREAMGATE_KAFKA_ADMIN_USER: kafkaAdmin.user,
          STREAMGATE_KAFKA_ADMIN_PASSWORD: kafkaAdmin.password,
        }
      : {}),
    ...opts.env,
  };
  let portal = await startPortalProcess({ env: portalEnv, dataDir: portalDir });
  const portalPort = Number(new URL(portal.url).port);

  let kafka: KafkaServer | null = null;
  const bootKafka = async () => {
    if (!kafkaAdmin) return;
    kafka = await startKafka({
      dataDir: kafkaDir,
      clientPort: kafkaPort,
      jwksUrl: `${portal.url}/.well-known/jwks.json`,
      issuer: portal.url,
      audience: 'kafka',
      adminUser: kafkaAdmin.user,
      adminPassword: kafkaAdmin.password,
      // PLAIN logins for legacy clients, as `./streamgate up` runs it, unless the portal has it off.
      plain:
        portalEnv.STREAMGATE_KAFKA_PLAIN === 'off' ? null : { tokenEndpointUrl: `${portal.url}/oauth/token` },
      tls: tls?.broker ?? null,
    });
  };
  const haltKafka = async () => {
    await kafka?.stop();
    kafka = null;
  };
  try {
    await bootKafka();
    if (withKafka)
      await aclsReconciledSince(
        portal.url,
        { email: portal.adminEmail, password: portal.adminPassword },
        Date.now() - 1000,
      );
  } catch (error) {
    await portal.stop();
    rmSync(kafkaDir, { recursive: true, force: true });
    rmSync(portalDir, { recursive: true, force: true });
    throw error;
  }

  return {
    portalUrl: portal.url,
    kafkaBootstrap: withKafka ? `127.0.0.1:${kafkaPort}` : null,
    adminEmail: portal.adminEmail,
    adminPassword: portal.adminPassword,
    kafkaAdmin,
    kafkaDataDir: withKafka ? kafkaDir : null,
    tls,
    get portal() {
      return portal;
    },
    async restartPortal() {
      await portal.stop();
      portal = await startPortalProcess({ env: portalEnv, dataDir: portalDir, port: portalPort });
    },
    get kafka() {
      return kafka;
    },
    async restartKafka() {
      await haltKafka();
      await bootKafka();
    },
    stopKafka: haltKafka,
    startKafka: bootKafka,
    async stop() {
      await haltKafka();
      await portal.stop();
      rmSync(kafkaDir, { recursive: true, force: true });
      rmSync(portalDir, { recursive: true, force: true });
    },
  };
}
