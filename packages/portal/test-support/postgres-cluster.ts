import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests, from the Debian binaries: its own data directory in
 * a temp dir, listening on 127.0.0.1 only, on a free port, durability off. When the test command
 * has started one shared cluster for the whole run (STREAMGATE_TEST_POSTGRES_URL), this hands
 * out databases in that one instead.
 */
export interface PostgresCluster {
  /** Superuser URL of the database 'postgres'. */
  url: string;
  /** Creates a fresh, empty database; returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Fast shutdown, then the data directory is removed. Does nothing for a shared cluster. */
  stop(): Promise<void>;
}

export const SHARED_CLUSTER_ENV = 'STREAMGATE_TEST_POSTGRES_URL';
const INSTALL_ROOT = '/usr/lib/postgresql';
const run = promisify(execFile);

function findBinDir(): string | null {
  if (!existsSync(INSTALL_ROOT)) return null;
  const versions = readdirSync(INSTALL_ROOT)
    .filter((version) => existsSync(join(INSTALL_ROOT, version, 'bin', 'postgres')))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
  return versions[0] ? join(INSTALL_ROOT, versions[0], 'bin') : null;
}

/** Installs the Debian `postgresql` package unless a server is already there; returns its bin dir. */
export async function ensurePostgresInstalled(): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const wait = ['-o', 'DPkg::Lock::Timeout=300'];
  await run('apt-get', [...wait, 'update'], { env, maxBuffer: 64 << 20 });
  await run('apt-get', [...wait, 'install', '-y', '--no-install-recommends', 'postgresql'], {
    env,
    maxBuffer: 64 << 20,
  });
  const installed = findBinDir();
  if (!installed) throw new Error(`apt-get installed postgresql, but no server binary is in ${INSTALL_ROOT}`);
  return installed;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const shared = process.env[SHARED_CLUSTER_ENV];
  if (shared) return handle(shared, async () => {});
  return startOwnCluster(await ensurePostgresInstalled());
}

function handle(url: string, stop: () => Promise<void>): PostgresCluster {
  return {
    url,
    async createDatabase(name = `sg_${randomBytes(6).toString('hex')}`) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new TypeError(`not a plain database name: ${name}`);
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      const database = new URL(url);
      database.pathname = `/${name}`;
      return database.toString();
    },
    stop,
  };
}

/** The uid and gid of the `postgres` system user: initdb and postgres refuse to run as root. */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}

async function startOwnCluster(binDir: string): Promise<PostgresCluster> {
  const owner = process.getuid?.() === 0 ? await postgresUser() : null;
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-pg-'));
  const dataDir = join(dir, 'data');
  const password = randomBytes(24).toString('base64url');
  const asOwner = { cwd: dir, ...(owner ?? {}) };
  let server: ChildProcess | undefined;

  // Synchronous, so it also works from process.on('exit'): an immediate shutdown, waiting for
  // the postmaster to remove its pid file (its last act), then the directory goes.
  const removeNow = () => {
    if (server?.exitCode === null && server.signalCode === null) {
      server.kill('SIGQUIT');
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (let i = 0; i < 200 && existsSync(join(dataDir, 'postmaster.pid')); i++) {
        Atomics.wait(pause, 0, 0, 25);
      }
    }
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    } catch {
      // Best effort on the way out: a leftover temp dir must not hide the test's own outcome.
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    removeNow();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.on('exit', removeNow);
  for (const signal of signals) process.once(signal, onSignal);
  const forget = () => {
    process.off('exit', removeNow);
    for (const signal of signals) process.off(signal, onSignal);
  };

  try {
    if (owner) chownSync(dir, owner.uid, owner.gid);
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) chownSync(pwfile, owner.uid, owner.gid);
    await run(
      join(binDir, 'initdb'),
      [
        ...['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`],
        ...['--auth-host=scram-sha-256', '--auth-local=scram-sha-256', '--encoding=UTF8', '--no-locale'],
        '--no-sync',
      ],
      asOwner,
    );
    rmSync(pwfile);

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
      server = spawn(
        join(binDir, 'postgres'),
        [
          ...['-D', dataDir, '-c', `port=${port}`, '-c', 'listen_addresses=127.0.0.1'],
          ...['-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200'],
          // A test cluster: losing it in a crash costs nothing, waiting for disks costs time.
          ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ],
        { ...asOwner, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const log = tail(server);
      try {
        await waitUntilReady(server, url, log);
        // A process that never calls stop() still ends, and its 'exit' handler cleans up.
        const running = server;
        running.unref();
        (running.stderr as Socket | null)?.unref();
        return handle(url, async () => {
          running.ref();
          await shutDown(running);
          forget();
          rmSync(dir, { recursive: true, force: true });
        });
      } catch (error) {
        // Another process may have taken the port between our probe and the bind: try another.
        const exited = server.exitCode !== null || server.signalCode !== null;
        if (exited && attempt < 3 && /could not bind|already in use/i.test(log())) continue;
        throw error;
      }
    }
  } catch (error) {
    forget();
    removeNow();
    throw error;
  }
}

/** Keeps the last few KB of the server's log, to explain a failed start. */
function tail(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-8192);
  });
  return () => text;
}

async function waitUntilReady(server: ChildProcess, url: string, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`postgres exited during start-up:\n${log()}`);
    }
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`postgres did not accept connections:\n${log()}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** SIGINT is PostgreSQL's fast shutdown: disconnect clients, checkpoint, exit. */
async function shutDown(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGQUIT'), 30_000);
  await exited;
  clearTimeout(timer);
}
