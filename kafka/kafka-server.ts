// Starts an Apache Kafka node (KRaft, broker + controller in one JVM) from the Maven jars, alone or
// as one node of a loopback cluster (kafka-cluster.ts):
// SASL_PLAINTEXT client listener with OAUTHBEARER (streaming-token JWTs, checked against the
// portal's JWKS), SCRAM-SHA-512 (the portal's admin) and optionally PLAIN (streaming tokens
// checked by the portal, for legacy clients), StandardAuthorizer, no implicit access.

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type ClusterMembership, renderServerProperties } from './broker-properties.ts';
import { waitForBroker, waitForJwks } from './broker-readiness.ts';
import {
  type BrokerPorts,
  type BrokerState,
  choosePort,
  loadBrokerState,
  newClusterId,
  saveBrokerState,
} from './broker-state.ts';
import { warmCoordinators } from './broker-warmup.ts';
import { type JavaProcess, runJava } from './java-process.ts';
import { ensureKafkaJars, log4jConfigPath } from './kafka-jars.ts';
import { ensurePlainPlugin } from './plain-plugin-build.ts';
import { assertAdminCredentials, scramFormatArgument } from './scram-credential.ts';
import { type BrokerTlsFiles, jvmTrustArguments, prepareBrokerTls } from './tls-listener.ts';

export interface StartKafkaOptions {
  /** Holds the partitions, the metadata log, logs/ and the ports; reuse it to keep data across restarts. */
  dataDir: string;
  /** Address of the SASL client listener (default 127.0.0.1). */
  host?: string;
  /** Address advertised to clients, when host is a wildcard such as 0.0.0.0 (default: host). */
  advertisedHost?: string;
  /** 0 or absent: the port this data dir used last time if free, else any free port. */
  clientPort?: number;
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** The portal's SCRAM-SHA-512 principal (a super user). Fixed when the data dir is formatted. */
  adminUser: string;
  adminPassword: string;
  /** Maximum JVM heap in MiB (default 512). */
  heapMb?: number;
  /** How long to wait for the JWKS and the broker (default 120 s: a cold JVM on two busy cores is slow). */
  startTimeoutMs?: number;
  /** Echo the broker's console output (WARN and above) to this process's stderr. */
  echoLogs?: boolean;
  /**
   * connections.max.reauth.ms: how long a SASL session lasts before the client must
   * re-authenticate, at most (a JWT's exp shortens it). Default 60000.
   */
  reauthMs?: number;
  /**
   * SASL/PLAIN for streaming tokens (username `sgt-<tokenId>`, password the token), each login
   * checked at the portal's token endpoint by kafka/plain-plugin. Absent or null: no PLAIN.
   */
  plain?: {
    /** `<portal>/oauth/token`. */
    tokenEndpointUrl: string;
    /** How long one login's verdict is reused (default 3000, at most 10000). */
    verdictCacheMs?: number;
    /** connections.max.reauth.ms of PLAIN sessions (default 10000). */
    reauthMs?: number;
  } | null;
  /** One node of a cluster (kafka-cluster.ts starts them); absent: a cluster of one. */
  cluster?: ClusterNode;
  /**
   * SASL_SSL on the client listener with this certificate, and the broker's HTTPS calls to the
   * portal (JWKS, PLAIN checks) trusting this CA (tls-listener.ts). Absent: SASL_PLAINTEXT.
   */
  tls?: BrokerTlsFiles | null;
}

/** What a cluster decides for each node, so that every node agrees with the others. */
export interface ClusterNode extends ClusterMembership {
  clusterId: string;
  /** This node's ports, fixed by the cluster: the others know its controller port. */
  ports: BrokerPorts;
  /** The broker principal's password, the same on every node: they log in to each other. */
  internalPassword: string;
}

export interface KafkaServer {
  /** host:port of the SASL client listener. */
  bootstrap: string;
  adminUser: string;
  adminPassword: string;
  pid: number;
  stop(): Promise<void>;
}

const stopGraceMs = 30_000;
/** The broker's own principal on its controller and inter-broker listeners (a super user). */
export const internalPrincipal = 'streamgate-broker';

export async function startKafka(opts: StartKafkaOptions): Promise<KafkaServer> {
  const host = opts.host ?? '127.0.0.1';
  const heapMb = opts.heapMb ?? 512;
  if (!Number.isInteger(heapMb) || heapMb < 128) throw new TypeError('heapMb must be an integer >= 128.');
  if (!/^https?:\/\//.test(opts.jwksUrl)) throw new TypeError('jwksUrl must be an http(s) URL.');
  if (!opts.issuer || !opts.audience) throw new TypeError('issuer and audience are required.');
  assertAdminCredentials(opts.adminUser, opts.adminPassword);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 120_000);

  const dataDir = resolve(opts.dataDir);
  const logDir = join(dataDir, 'kafka-data');
  await mkdir(join(dataDir, 'logs'), { recursive: true });
  const [libs, state] = await Promise.all([
    ensureKafkaJars(),
    opts.cluster
      ? keepClusterState(dataDir, opts.cluster)
      : prepareState(dataDir, host, opts.clientPort ?? 0),
  ]);

  // PLAIN needs its callback handler on the classpath, compiled against these very jars.
  // The plugin also holds the OAUTHBEARER handler that refuses JWT subjects other than `sgt-...`.
  const pluginClasses = await ensurePlainPlugin(libs);
  const tls = opts.tls ? await prepareBrokerTls(dataDir, opts.tls) : null;
  const propertiesPath = join(dataDir, 'server.properties');
  // 0600: it holds the broker's internal password (rewritten, with a new one, on every start).
  await rm(propertiesPath, { force: true });
  await writeFile(
    propertiesPath,
    renderServerProperties({
      host,
      advertisedHost: opts.advertisedHost ?? host,
      clientPort: state.ports.client,
      controllerPort: state.ports.controller,
      internalPort: state.ports.internal,
      logDir,
      jwksUrl: opts.jwksUrl,
      issuer: opts.issuer,
      audience: opts.audience,
      adminUser: opts.adminUser,
      internalUser: internalPrincipal,
      internalPassword: opts.cluster?.internalPassword ?? randomBytes(24).toString('base64url'),
      reauthMs: opts.reauthMs ?? 60_000,
      plain: opts.plain
        ? {
            tokenEndpointUrl: opts.plain.tokenEndpointUrl,
            verdictCacheMs: opts.plain.verdictCacheMs ?? 3000,
            reauthMs: opts.plain.reauthMs ?? 10_000,
          }
        : null,
      cluster: opts.cluster ?? null,
      clientTls: tls,
    }),
    { mode: 0o600 },
  );

  const classpath = ['-cp', `${libs}/*:${pluginClasses}`];
  const logging = [
    `-Dlog4j2.configurationFile=${log4jConfigPath}`,
    `-Dkafka.logs.dir=${join(dataDir, 'logs')}`,
  ];
  if (!existsSync(join(logDir, 'meta.properties'))) {
    await formatStorage({ dataDir, classpath, logging, propertiesPath, state, opts });
  }

  await waitForJwks(opts.jwksUrl, deadline, tls?.caCertPem);
  const broker = runJava({
    cwd: dataDir,
    args: [
      `-Xms${Math.min(256, heapMb)}m`,
      `-Xmx${heapMb}m`,
      // Measured on 2 cores: the serial collector starts the broker ~0.5-1 s sooner than G1 and suits
      // a heap this small. C1-only JIT (-XX:TieredStopAtLevel=1) would save a few hundred ms more
      // but costs steady-state throughput, so it is left out.
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      '-Djava.awt.headless=true',
      ...(tls ? jvmTrustArguments(tls) : []),
      // CVE-2025-27817: Kafka 4 fetches no URL unless listed here, the JWKS included.
      `-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=${opts.jwksUrl}`,
      ...logging,
      ...classpath,
      'kafka.Kafka',
      propertiesPath,
    ],
    onLine: opts.echoLogs
      ? (line) => process.stderr.write(`[kafka${opts.cluster ? `-${opts.cluster.nodeId}` : ''}] ${line}\n`)
      : undefined,
  });

  const bootstrap = `${opts.advertisedHost ?? host}:${state.ports.client}`;
  try {
    await waitForBroker({
      bootstrap,
      username: opts.adminUser,
      password: opts.adminPassword,
      deadline,
      exited: broker.exited,
      ...(tls ? { tls: tls.clientTls } : {}),
    });
    await warmCoordinators({
      bootstrap,
      username: opts.adminUser,
      password: opts.adminPassword,
      deadline,
      ...(tls ? { tls: tls.clientTls } : {}),
    });
  } catch (error) {
    await broker.stop(5_000);
    const tail = await brokerLogTail(dataDir, broker);
    throw new Error(`Kafka did not start: ${(error as Error).message}\n--- broker log (tail) ---\n${tail}`, {
      cause: error,
    });
  }

  return {
    bootstrap,
    adminUser: opts.adminUser,
    adminPassword: opts.adminPassword,
    pid: broker.pid,
    stop: () => broker.stop(stopGraceMs),
  };
}

async function prepareState(
  dataDir: string,
  host: string,
  requestedClientPort: number,
): Promise<BrokerState> {
  const previous = await loadBrokerState(dataDir);
  // Controller and internal listeners are always on loopback (see broker-properties.ts).
  const state: BrokerState = {
    clusterId: previous?.clusterId ?? newClusterId(),
    ports: {
      client: await choosePort(
        host,
        requestedClientPort || previous?.ports.client || 0,
        requestedClientPort > 0,
      ),
      controller: await choosePort('127.0.0.1', previous?.ports.controller ?? 0, false),
      internal: await choosePort('127.0.0.1', previous?.ports.internal ?? 0, false),
    },
  };
  if (new Set(Object.values(state.ports)).size !== 3) {
    throw new Error(
      `The broker's three listeners need three different ports, got ${JSON.stringify(state.ports)}.`,
    );
  }
  await saveBrokerState(dataDir, state);
  return state;
}

/** A cluster node's id and ports are the cluster's choice; its data dir only remembers them. */
async function keepClusterState(dataDir: string, node: ClusterNode): Promise<BrokerState> {
  const state: BrokerState = { clusterId: node.clusterId, ports: node.ports };
  await saveBrokerState(dataDir, state);
  return state;
}

interface FormatInput {
  dataDir: string;
  classpath: string[];
  logging: string[];
  propertiesPath: string;
  state: BrokerState;
  opts: StartKafkaOptions;
}

/**
 * First start only: lays out the KRaft metadata log with the admin's SCRAM credential; alone, this
 * node is the sole voter, in a cluster the voters come from `controller.quorum.voters`.
 */
async function formatStorage({
  dataDir,
  classpath,
  logging,
  propertiesPath,
  state,
  opts,
}: FormatInput): Promise<void> {
  const format = runJava({
    cwd: dataDir,
    args: [
      '-Xmx256m',
      '-XX:+UseSerialGC',
      ...logging,
      ...classpath,
      'kafka.tools.StorageTool',
      'format',
      '--cluster-id',
      state.clusterId,
      '--config',
      propertiesPath,
      ...(opts.cluster ? [] : ['--standalone']),
      '--add-scram',
      scramFormatArgument(opts.adminUser, opts.adminPassword),
    ],
  });
  const { code, signal } = await format.exited;
  if (code !== 0) {
    throw new Error(
      `kafka.tools.StorageTool format failed (${signal ?? `exit ${code}`}):\n${redactScram(format.recentOutput())}`,
    );
  }
}

/** The format tool prints the SCRAM record (salt, stored and server keys); never let that reach a log. */
function redactScram(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      /scram|salt|storedKey|serverKey/i.test(line) ? '[line with SCRAM material removed]' : line,
    )
    .join('\n');
}

async function brokerLogTail(dataDir: string, broker: JavaProcess, lines = 40): Promise<string> {
  let fileTail = '';
  try {
    const text = await readFile(join(dataDir, 'logs', 'server.log'), 'utf8');
    fileTail = text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    // No log file: the JVM failed before log4j started, so its console output is all there is.
  }
  const consoleTail = broker.recentOutput().split('\n').slice(-lines).join('\n');
  return [fileTail, fileTail.includes(consoleTail) ? '' : consoleTail]
    .filter(Boolean)
    .join('\n--- console ---\n');
}
