// What a data dir remembers between broker starts: its cluster id and the ports it listened on.
// Reusing the ports keeps the bootstrap address stable across restarts, so clients (the portal's
// admin, the reconciler) reconnect by themselves after the broker comes back.
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface BrokerPorts {
  client: number;
  controller: number;
  internal: number;
}

export interface BrokerState {
  clusterId: string;
  ports: BrokerPorts;
}

const stateFile = 'streamgate-kafka.json';

export async function loadBrokerState(dataDir: string): Promise<BrokerState | null> {
  let text: string;
  try {
    text = await readFile(join(dataDir, stateFile), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const state = JSON.parse(text) as BrokerState;
  if (typeof state.clusterId !== 'string' || typeof state.ports?.client !== 'number') {
    throw new Error(`${join(dataDir, stateFile)} is not a Streamgate broker state file.`);
  }
  return state;
}

export async function saveBrokerState(dataDir: string, state: BrokerState): Promise<void> {
  const path = join(dataDir, stateFile);
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

/**
 * A Kafka cluster id: 16 random bytes in unpadded base64url, as `kafka-storage random-uuid`
 * prints, generated here to save a JVM start. Kafka avoids ids starting with '-' because command
 * lines would read them as options; so do we.
 */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * The port to listen on: the wanted one if it is free; a fresh free one when nothing was wanted
 * or a remembered port is now taken; an error when an explicitly requested port is taken.
 */
export async function choosePort(host: string, wanted: number, explicit: boolean): Promise<number> {
  if (wanted > 0) {
    if (await isPortFree(host, wanted)) return wanted;
    if (explicit) throw new Error(`Port ${host}:${wanted} is already in use.`);
  }
  return freePort(host);
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
