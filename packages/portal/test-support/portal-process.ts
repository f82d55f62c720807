import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PortalProcess {
  url: string;
  adminEmail: string;
  adminPassword: string;
  dataDir: string;
  process: ChildProcess;
  /** Everything the process printed (stdout and stderr), for assertions about logs. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL: no graceful shutdown, as a crash would be. */
  kill(): Promise<void>;
}

const serverEntry = fileURLToPath(new URL('../src/server.ts', import.meta.url));

/**
 * Runs a real portal as its own process (`node packages/portal/src/server.ts`) on a free
 * port, with a fresh data dir unless one is given. Resolves once it listens.
 */
export async function startPortalProcess(
  opts: { env?: Record<string, string>; dataDir?: string; port?: number } = {},
): Promise<PortalProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'streamgate-portal-'));
  const ownsDataDir = opts.dataDir === undefined;
  const adminEmail = opts.env?.STREAMGATE_ADMIN_EMAIL ?? 'admin@example.test';
  const adminPassword = opts.env?.STREAMGATE_ADMIN_PASSWORD ?? `pw-${randomBytes(12).toString('hex')}`;
  const child = spawn(
    process.execPath,
    [serverEntry, '--port', String(opts.port ?? 0), '--data-dir', dataDir],
    {
      env: {
        ...process.env,
        STREAMGATE_LOG_LEVEL: 'info',
        STREAMGATE_ADMIN_EMAIL: adminEmail,
        STREAMGATE_ADMIN_PASSWORD: adminPassword,
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portal did not start in 30 s:\n${output}`)), 30_000);
    const onData = () => {
      const match = /portal listening on (https?:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`portal exited with ${code} before listening:\n${output}`));
    });
  });

  const waitForExit = (signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill(signal);
      if (signal === 'SIGTERM') setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });

  return {
    url,
    adminEmail,
    adminPassword,
    dataDir,
    process: child,
    output: () => output,
    async stop() {
      await waitForExit('SIGTERM');
      process.removeListener('exit', killOnExit);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      await waitForExit('SIGKILL');
      // A test that kills and restarts many times must not pile up one 'exit' listener per start.
      process.removeListener('exit', killOnExit);
    },
  };
}
