// `./streamgate up`, `serve` and `kafka`: the stack on embedded defaults, or its parts.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { choosePort } from '../kafka/broker-state.ts';
import { runKafkaForeground } from '../kafka/cli.ts';
import { clusterSizes, startKafkaCluster } from '../kafka/kafka-cluster.ts';
import { startKafka } from '../kafka/kafka-server.ts';
import { serve } from '../packages/portal/src/server.ts';
import { applyLocalTlsToPortal, localTls, takeFlag } from './local-tls.ts';
import { buildWebIfStale } from './web-build.ts';

const root = resolve(import.meta.dirname, '..');

interface KafkaAdminCredentials {
  user: string;
  password: string;
}

/**
 * The portal's Kafka admin (a SCRAM principal) is fixed when the broker's storage is
 * formatted, so it is generated once and kept beside the broker's data, readable by us alone.
 */
function kafkaAdminCredentials(dataDir: string): KafkaAdminCredentials {
  const path = join(dataDir, 'kafka-admin.json');
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as KafkaAdminCredentials;
  mkdirSync(dataDir, { recursive: true });
  const credentials = { user: 'streamgate-admin', password: randomBytes(24).toString('base64url') };
  writeFileSync(path, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
  return credentials;
}

function dataDirFrom(args: string[]): string {
  const index = args.indexOf('--data-dir');
  return resolve(
    index >= 0 && args[index + 1]
      ? args[index + 1]!
      : process.env.STREAMGATE_DATA_DIR || join(root, '.streamgate'),
  );
}

/**
 * `--brokers N` (1, the default, or a cluster size of kafka-cluster.ts), taken out of the
 * arguments the portal parses. A cluster keeps its data beside the single broker's, never in it.
 */
function brokersFrom(args: string[]): { brokers: number; kafkaDirName: string; rest: string[] } {
  const index = args.findIndex((arg) => arg === '--brokers' || arg.startsWith('--brokers='));
  if (index < 0) return { brokers: 1, kafkaDirName: 'kafka', rest: args };
  const inline = args[index]!.startsWith('--brokers=');
  const raw = inline ? args[index]!.slice('--brokers='.length) : args[index + 1];
  const brokers = Number(raw);
  if (brokers !== 1 && !clusterSizes.includes(brokers)) {
    throw new Error(`--brokers takes 1 or ${clusterSizes.join(', ')}, got '${raw ?? ''}'.`);
  }
  const rest = args.filter((_, i) => i !== index && (inline || i !== index + 1));
  return { brokers, kafkaDirName: brokers === 1 ? 'kafka' : `kafka-${brokers}-brokers`, rest };
}

function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write('\nstreamgate: stopping ...\n');
      stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

export async function runServe(allArgs: string[]): Promise<void> {
  const { present: tls, rest: args } = takeFlag(allArgs, '--tls');
  if (tls) await applyLocalTlsToPortal(dataDirFrom(args), process.env, { localBroker: true });
  const running = await serve(args);
  onShutdown(running.stop);
}

export async function runUp(allArgs: string[]): Promise<void> {
  const { present: withTls, rest: withoutTls } = takeFlag(allArgs, '--tls');
  const { brokers, kafkaDirName, rest: args } = brokersFrom(withoutTls);
  const dataDir = dataDirFrom(args);
  process.env.STREAMGATE_DATA_DIR = dataDir;
  // A terminal, not a log shipper: warnings and errors only, unless asked otherwise.
  process.env.STREAMGATE_LOG_LEVEL ??= 'warn';
  // The whole stack on one machine runs the workspaces' deployments too, as child processes.
  process.env.STREAMGATE_RUNNER ??= 'process';
  await buildWebIfStale();

  // An existing cluster (STREAMGATE_KAFKA_BOOTSTRAP) replaces the local broker.
  const external = Boolean(process.env.STREAMGATE_KAFKA_BOOTSTRAP);
  const kafkaDir = join(dataDir, kafkaDirName);
  const admin = external ? null : kafkaAdminCredentials(kafkaDir);
  let kafkaPort = 0;
  const kafkaPorts: number[] = [];
  if (admin) {
    const wanted = Number(process.env.STREAMGATE_KAFKA_PORT || 9092);
    // A cluster's client ports follow the first one (9092, 9093, 9094), each where free.
    for (let index = 0; index < brokers; index++) {
      kafkaPorts.push(
        await choosePort('127.0.0.1', wanted + index, Boolean(process.env.STREAMGATE_KAFKA_PORT)),
      );
    }
    kafkaPort = kafkaPorts[0]!;
    process.env.STREAMGATE_KAFKA_BOOTSTRAP = kafkaPorts.map((port) => `127.0.0.1:${port}`).join(',');
    // New topics replicated to three nodes (the brokers' min.insync.replicas is 2).
    if (brokers > 1) process.env.STREAMGATE_KAFKA_REPLICATION_FACTOR ??= '3';
    process.env.STREAMGATE_KAFKA_ADMIN_USER = admin.user;
    process.env.STREAMGATE_KAFKA_ADMIN_PASSWORD = admin.password;
  }

  // --tls: a private CA in the data dir; the portal on HTTPS, the local broker on SASL_SSL.
  const tls = withTls ? await applyLocalTlsToPortal(dataDir, process.env, { localBroker: !external }) : null;

  // The portal first: the broker fetches its JWKS at start-up.
  const portal = await serve(args, process.env, { brokerStartsLater: admin !== null });
  let stopKafka = async () => {};
  if (admin) {
    process.stdout.write(
      'streamgate: starting Kafka (the first run downloads its jars from Maven Central) ...\n',
    );
    const kafkaOptions = {
      dataDir: kafkaDir,
      clientPort: kafkaPort,
      jwksUrl: `${portal.url}/.well-known/jwks.json`,
      issuer: portal.url,
      audience: portal.portal.config.brokerAudience,
      adminUser: admin.user,
      adminPassword: admin.password,
      plain: portal.portal.config.kafka.plain ? { tokenEndpointUrl: `${portal.url}/oauth/token` } : null,
      tls: tls ? { certPath: tls.certPath, keyPath: tls.keyPath, caCertPath: tls.caCertPath } : null,
    };
    const kafka =
      brokers > 1
        ? await startKafkaCluster({ ...kafkaOptions, brokers, clientPorts: kafkaPorts })
        : await startKafka(kafkaOptions);
    stopKafka = () => kafka.stop();
    portal.portal.kafka.start();
  }
  process.stdout.write(
    [
      '',
      `  Portal:     ${portal.url}/ui/`,
      `  API docs:   ${portal.url}/docs`,
      `  Kafka:      ${process.env.STREAMGATE_KAFKA_BOOTSTRAP}${external ? ' (existing cluster)' : ` (${brokers > 1 ? `${brokers} brokers, ` : ''}${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}, OAUTHBEARER${portal.portal.config.kafka.plain ? ' and PLAIN' : ''})`}`,
      ...(tls
        ? [
            `  TLS CA:     ${tls.caCertPath} (clients trust it: NODE_EXTRA_CA_CERTS for Node, SSL_CERT_FILE for Python; see README)`,
          ]
        : []),
      `  Data:       ${dataDir}`,
      `  Runner:     ${process.env.STREAMGATE_RUNNER === 'process' ? 'deployments run as processes of this user' : 'none (deployments are not run)'}`,
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  onShutdown(async () => {
    // The portal first: it stops the deployments while the broker still takes their last writes.
    await portal.stop();
    await stopKafka();
  });
}

export async function runKafka(allArgs: string[]): Promise<void> {
  const { present: withTls, rest: withoutTls } = takeFlag(allArgs, '--tls');
  const { brokers, kafkaDirName, rest: args } = brokersFrom(withoutTls);
  const dataDir = dataDirFrom(args);
  const portalUrl = (
    process.env.STREAMGATE_PUBLIC_URL ||
    `${withTls ? 'https' : 'http'}://127.0.0.1:${process.env.STREAMGATE_PORT || 8700}`
  ).replace(/\/+$/, '');
  // The same CA and certificate as `./streamgate serve --tls` on this data dir.
  const tls = withTls ? await localTls(dataDir, process.env) : null;
  const kafkaDir = join(dataDir, kafkaDirName);
  const admin = kafkaAdminCredentials(kafkaDir);
  const clientPort = Number(process.env.STREAMGATE_KAFKA_PORT || 9092);
  const cluster =
    brokers > 1
      ? ` STREAMGATE_KAFKA_BOOTSTRAP=${Array.from({ length: brokers }, (_, i) => `127.0.0.1:${clientPort + i}`).join(',')} STREAMGATE_KAFKA_REPLICATION_FACTOR=3`
      : '';
  process.stdout.write(
    `streamgate: the portal must run at ${portalUrl} with${cluster} STREAMGATE_KAFKA_ADMIN_USER=${admin.user} and the password in ${join(kafkaDir, 'kafka-admin.json')}${tls ? ` (and with --tls, for HTTPS and SASL_SSL from the CA ${tls.caCertPath})` : ''}\n`,
  );
  await runKafkaForeground(
    {
      dataDir: kafkaDir,
      clientPort,
      jwksUrl: `${portalUrl}/.well-known/jwks.json`,
      issuer: portalUrl,
      audience: process.env.STREAMGATE_BROKER_AUDIENCE || 'kafka',
      adminUser: admin.user,
      adminPassword: admin.password,
      plain:
        process.env.STREAMGATE_KAFKA_PLAIN === 'off'
          ? null
          : { tokenEndpointUrl: `${portalUrl}/oauth/token` },
      tls: tls ? { certPath: tls.certPath, keyPath: tls.keyPath, caCertPath: tls.caCertPath } : null,
    },
    brokers,
  );
}
