// A KRaft cluster on loopback: three nodes, each a broker and a controller voter in one JVM
// started by startKafka (same listeners and security as the single broker), each with its own
// data dir, started in parallel. New topics get replication factor 3 and min.insync.replicas 2.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type BrokerPorts, choosePort, loadBrokerState, newClusterId } from './broker-state.ts';
import { ensureKafkaJars } from './kafka-jars.ts';
import { type ClusterNode, type KafkaServer, type StartKafkaOptions, startKafka } from './kafka-server.ts';
import { ensurePlainPlugin } from './plain-plugin-build.ts';

/** Cluster sizes this module starts: three voters survive the loss of any one node. */
export const clusterSizes: readonly number[] = [3];

export interface StartKafkaClusterOptions
  extends Omit<StartKafkaOptions, 'dataDir' | 'host' | 'advertisedHost' | 'clientPort' | 'cluster'> {
  /** Holds node-1 … node-N; reuse it to keep topics, ACLs and ports across restarts. */
  dataDir: string;
  /** How many nodes (3). */
  brokers: number;
  /** Client port per node; 0 or absent: the one its data dir used last time if free, else any free one. */
  clientPorts?: readonly number[];
}

export interface KafkaClusterNode {
  readonly nodeId: number;
  /** 127.0.0.1:<client port>. */
  readonly bootstrap: string;
  readonly dataDir: string;
  readonly running: boolean;
  /** The JVM's pid while running. */
  readonly pid: number | null;
  /** Starts the node on its data dir and ports; resolves with how long that took (ms). */
  start(): Promise<number>;
  /** SIGTERM (a controlled shutdown), SIGKILL after 30 s. */
  stop(): Promise<void>;
  /** SIGKILL: no shutdown at all, as a crash. */
  kill(): Promise<void>;
}

export interface KafkaCluster {
  /** Every node's client address, comma-separated: what clients and the portal bootstrap from. */
  bootstrap: string;
  nodes: readonly KafkaClusterNode[];
  adminUser: string;
  adminPassword: string;
  /** Stops every node that runs. */
  stop(): Promise<void>;
}

const clusterFile = 'streamgate-kafka-cluster.json';

export async function startKafkaCluster(opts: StartKafkaClusterOptions): Promise<KafkaCluster> {
  if (!clusterSizes.includes(opts.brokers)) {
    throw new TypeError(`A cluster has ${clusterSizes.join(' or ')} nodes, not ${opts.brokers}.`);
  }
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const clusterId = await clusterIdFor(dataDir, opts.brokers);
  const nodeIds = Array.from({ length: opts.brokers }, (_, index) => index + 1);
  const nodeDir = (nodeId: number) => join(dataDir, `node-${nodeId}`);
  const ports = await choosePorts(
    nodeIds.map(nodeDir),
    nodeIds.map((_, index) => opts.clientPorts?.[index] ?? 0),
  );
  // Once, before the parallel starts: three concurrent Maven runs or plugin builds would race.
  await ensurePlainPlugin(await ensureKafkaJars());

  const voters = nodeIds.map((nodeId, index) => ({ nodeId, controllerPort: ports[index]!.controller }));
  // The nodes log in to each other as the broker principal: one password for them all, kept in
  // memory only (each server.properties, 0600, has it), new whenever the whole cluster starts.
  const internalPassword = randomBytes(24).toString('base64url');
  const { brokers: _brokers, clientPorts: _clientPorts, dataDir: _dataDir, ...common } = opts;
  const nodes = nodeIds.map((nodeId, index) =>
    clusterNode(nodeId, {
      ...common,
      host: '127.0.0.1',
      advertisedHost: '127.0.0.1',
      // Three JVMs share the machine's cores while they start: allow them longer than one.
      startTimeoutMs: opts.startTimeoutMs ?? 240_000,
      dataDir: nodeDir(nodeId),
      cluster: {
        nodeId,
        clusterId,
        ports: ports[index]!,
        voters,
        internalPassword,
        replicationFactor: 3,
        minInsyncReplicas: 2,
      },
    }),
  );

  // In parallel: a node becomes ready only once a majority of the voters runs.
  const started = await Promise.allSettled(nodes.map((node) => node.start()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    await Promise.allSettled(nodes.map((node) => node.stop()));
    throw failed.reason;
  }
  return {
    bootstrap: nodes.map((node) => node.bootstrap).join(','),
    nodes,
    adminUser: opts.adminUser,
    adminPassword: opts.adminPassword,
    // All at once: a node stopping alone waits for the others to take its partitions over.
    stop: async () => {
      await Promise.allSettled(nodes.map((node) => node.stop()));
    },
  };
}

function clusterNode(
  nodeId: number,
  options: StartKafkaOptions & { cluster: ClusterNode },
): KafkaClusterNode {
  let server: KafkaServer | null = null;
  let starting: Promise<number> | null = null;
  return {
    nodeId,
    bootstrap: `127.0.0.1:${options.cluster.ports.client}`,
    dataDir: options.dataDir,
    get running() {
      return server !== null;
    },
    get pid() {
      return server?.pid ?? null;
    },
    start() {
      starting ??= (async () => {
        const began = Date.now();
        try {
          server = await startKafka(options);
          return Date.now() - began;
        } finally {
          starting = null;
        }
      })();
      return starting;
    },
    async stop() {
      const running = server;
      server = null;
      await running?.stop();
    },
    async kill() {
      const running = server;
      server = null;
      if (!running) return;
      process.kill(running.pid, 'SIGKILL');
      // Returns at once for a dead JVM; reaps the watchdog of java-process.ts.
      await running.stop();
    },
  };
}

/** The cluster id this data dir was formatted with, or a new one; a dir keeps its cluster size. */
async function clusterIdFor(dataDir: string, brokers: number): Promise<string> {
  const path = join(dataDir, clusterFile);
  let previous: { clusterId: string; brokers: number } | null = null;
  try {
    previous = JSON.parse(await readFile(path, 'utf8')) as { clusterId: string; brokers: number };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (previous) {
    if (previous.brokers !== brokers) {
      throw new Error(
        `${dataDir} holds a cluster of ${previous.brokers} nodes; its voters cannot change to ${brokers}. Use another data dir.`,
      );
    }
    return previous.clusterId;
  }
  const clusterId = newClusterId();
  await writeFile(path, `${JSON.stringify({ clusterId, brokers }, null, 2)}\n`);
  return clusterId;
}

/**
 * Three ports per node (client, controller, internal), all different: those its data dir used
 * last time when free (a restarted cluster keeps its addresses), else fresh ones. The voters
 * are static, so the whole cluster learns a changed controller port when it starts together.
 */
async function choosePorts(nodeDirs: string[], requestedClient: number[]): Promise<BrokerPorts[]> {
  const taken = new Set<number>();
  const pick = async (wanted: number, explicit: boolean): Promise<number> => {
    if (explicit && taken.has(wanted)) throw new Error(`Port ${wanted} is asked for twice.`);
    let port = await choosePort('127.0.0.1', taken.has(wanted) ? 0 : wanted, explicit);
    while (taken.has(port)) port = await choosePort('127.0.0.1', 0, false);
    taken.add(port);
    return port;
  };
  // Explicit client ports first, so that a fresh pick cannot take one of them.
  for (const port of requestedClient) if (port > 0) taken.add(port);
  const result: BrokerPorts[] = [];
  for (const [index, dir] of nodeDirs.entries()) {
    const previous = (await loadBrokerState(dir))?.ports;
    const requested = requestedClient[index] ?? 0;
    if (requested > 0) taken.delete(requested);
    result.push({
      client: await pick(requested || previous?.client || 0, requested > 0),
      controller: await pick(previous?.controller ?? 0, false),
      internal: await pick(previous?.internal ?? 0, false),
    });
  }
  return result;
}
