// Test-only: a real portal process, the Portal API called directly (to set things up and to
// check the state the CLI left), and the CLI run as a child process, on pipes or on a terminal.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PortalProcess, startPortalProcess } from '../../portal/test-support/portal-process.ts';
import { startStack } from '../../portal/test-support/stack.ts';

export const cliEntry = fileURLToPath(new URL('../bin/streamgate-cli.js', import.meta.url));
const waitLimitMs = 30_000; // a guard against hangs, never an assertion

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests check JSON bodies field by field.
  body: any;
}

export interface Session {
  cookie: string;
  csrfToken: string;
}

export type Credential = { token: string } | { session: Session } | { none: true };

export async function call(
  url: string,
  method: string,
  path: string,
  auth: Credential,
  options: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if ('token' in auth) headers.authorization = `Bearer ${auth.token}`;
  if ('session' in auth) {
    headers.cookie = auth.session.cookie;
    headers['x-csrf-token'] = auth.session.csrfToken;
  }
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
    signal: AbortSignal.timeout(waitLimitMs),
  });
  const text = await response.text();
  const body = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

export interface TestPortal {
  url: string;
  adminEmail: string;
  admin: Session;
  process: PortalProcess;
  api(
    method: string,
    path: string,
    auth: Credential,
    options?: { json?: unknown; headers?: Record<string, string> },
  ): Promise<Reply>;
  login(email: string, password: string): Promise<Session>;
  /** A PAT of the user behind `session` (default: the admin). */
  createPat(options?: {
    session?: Session;
    name?: string;
    workspaces?: string[];
    readOnly?: boolean;
  }): Promise<{ id: string; token: string }>;
  createWorkspace(workspaceId: string): Promise<void>;
  /** A user with that organisation role, logged in. */
  createUser(email: string, role: string): Promise<{ id: string; session: Session }>;
  /** The pair as an Admin sees it: ETag, ids and values. */
  tokens(workspaceId: string): Promise<{
    etag: string;
    token1: { id: string; value: string };
    token2: { id: string; value: string };
  }>;
  stop(): Promise<void>;
}

/**
 * A real portal process; with `kafka: true` also a real Kafka broker it manages topics on. `env`
 * goes to the portal (e.g. `STREAMGATE_RUNNER: 'process'` to run deployments).
 */
export async function startTestPortal(
  options: { kafka?: boolean; env?: Record<string, string> } = {},
): Promise<TestPortal> {
  let portal: PortalProcess;
  let stop: () => Promise<void>;
  if (options.kafka) {
    const stack = await startStack(options.env ? { env: options.env } : {});
    [portal, stop] = [stack.portal, () => stack.stop()];
  } else {
    portal = await startPortalProcess(options.env ? { env: options.env } : {});
    stop = () => portal.stop();
  }
  const url = portal.url;
  const login = async (email: string, password: string): Promise<Session> => {
    const reply = await call(url, 'POST', '/auth/login', { none: true }, { json: { email, password } });
    if (reply.status !== 200) throw new Error(`login failed: ${reply.status}`);
    const cookie = reply.headers
      .getSetCookie()
      .map((header) => header.split(';')[0]!)
      .find((pair) => pair.startsWith('sg_session='));
    if (!cookie) throw new Error('login set no sg_session cookie');
    return { cookie, csrfToken: reply.body.csrfToken };
  };
  const admin = await login(portal.adminEmail, portal.adminPassword);
  const expect = (reply: Reply, status: number, what: string) => {
    if (reply.status !== status)
      throw new Error(`${what}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply;
  };
  const testPortal: TestPortal = {
    url,
    adminEmail: portal.adminEmail,
    admin,
    process: portal,
    api: (method, path, auth, options) => call(url, method, path, auth, options),
    login,
    async createPat(options = {}) {
      const reply = await call(
        url,
        'POST',
        '/profile/tokens',
        { session: options.session ?? admin },
        {
          json: {
            name: options.name ?? 'cli tests',
            expiresAt: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
            ...(options.workspaces ? { workspaces: options.workspaces } : {}),
            ...(options.readOnly ? { readOnly: true } : {}),
          },
        },
      );
      expect(reply, 201, 'creating a PAT');
      return { id: reply.body.id, token: reply.body.token };
    },
    async createWorkspace(workspaceId) {
      const reply = await call(
        url,
        'POST',
        '/workspaces',
        { session: admin },
        { json: { workspaceId, name: `Workspace ${workspaceId}` } },
      );
      expect(reply, 201, `creating workspace ${workspaceId}`);
    },
    async createUser(email, role) {
      const password = `pw-${Math.random().toString(36).slice(2)}-${Date.now()}`;
      const reply = await call(
        url,
        'POST',
        '/users',
        { session: admin },
        { json: { email, password, role } },
      );
      expect(reply, 201, `creating user ${email}`);
      return { id: reply.body.id, session: await login(email, password) };
    },
    async tokens(workspaceId) {
      const reply = expect(
        await call(url, 'GET', `/workspaces/${workspaceId}/streaming-tokens`, { session: admin }),
        200,
        'reading the token pair',
      );
      return {
        etag: reply.headers.get('etag')!,
        token1: { id: reply.body.token1.id, value: reply.body.token1.value },
        token2: { id: reply.body.token2.id, value: reply.body.token2.value },
      };
    },
    stop,
  };
  return testPortal;
}

/** A fresh directory to use as HOME and XDG_CONFIG_HOME, so no test sees a real login. */
export function tempConfigHome(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-cli-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The environment of a CLI run: nothing from the test runner's STREAMGATE_* variables, HOME
 * and XDG_CONFIG_HOME in a temporary directory, plus what the test passes.
 */
function cliEnv(configHome: string, env: Record<string, string | undefined>): Record<string, string> {
  const result: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configHome,
    XDG_CONFIG_HOME: configHome,
  };
  for (const [key, value] of Object.entries(env)) if (value !== undefined) result[key] = value;
  return result;
}

/** `node bin/streamgate-cli.js ...args` on pipes: stdin is not a terminal. */
export function runCli(
  args: string[],
  options: { configHome: string; env?: Record<string, string | undefined>; input?: string },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliEntry, ...args], {
      env: cliEnv(options.configHome, options.env ?? {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), waitLimitMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`CLI killed by ${signal} (hung?): ${stdout}\n${stderr}`));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface CliProcess {
  /** Resolves with everything printed so far (stdout and stderr) once it matches. */
  waitFor(pattern: RegExp): Promise<string>;
  /** SIGINT, as Ctrl-C sends it. */
  interrupt(): void;
  exit: Promise<CliRun>;
}

/** Like `runCli`, but the test can watch the output as it comes and send Ctrl-C. */
export function startCli(
  args: string[],
  options: { configHome: string; env?: Record<string, string | undefined> },
): CliProcess {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    env: cliEnv(options.configHome, options.env ?? {}),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const onData = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(stdout + stderr)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(stdout + stderr);
      }
    }
  };
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onData();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onData();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), waitLimitMs);
  const exit = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (signal) reject(new Error(`CLI killed by ${signal} (hung?): ${stdout}\n${stderr}`));
      else resolve({ code: code ?? -1, stdout, stderr });
    });
  });
  return {
    waitFor(pattern) {
      if (pattern.test(stdout + stderr)) return Promise.resolve(stdout + stderr);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        exit.then(
          () => reject(new Error(`the CLI exited without printing ${pattern}:\n${stdout}\n${stderr}`)),
          reject,
        );
      });
    },
    interrupt: () => child.kill('SIGINT'),
    exit,
  };
}

export interface TerminalSession {
  /** Resolves with everything printed so far once it matches; rejects if it never does. */
  waitFor(pattern: RegExp): Promise<string>;
  type(text: string): void;
  /** The CLI's exit code and everything it printed (stdout and stderr share the terminal). */
  exit: Promise<{ code: number; output: string }>;
}

const shellQuote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * The CLI on a pseudo-terminal (util-linux `script`), so that stdin.isTTY is true and a test
 * can answer its prompts: `dialogue` reads and types, then the run ends.
 */
export function runCliOnTerminal(
  args: string[],
  options: { configHome: string; env?: Record<string, string | undefined> },
): TerminalSession {
  // exec: no shell in between, which would turn the CLI's own exit code into 130 after a Ctrl-C.
  const command = `exec ${[process.execPath, cliEntry, ...args].map(shellQuote).join(' ')}`;
  const child = spawn('script', ['--quiet', '--return', '--flush', '--command', command, '/dev/null'], {
    env: { ...cliEnv(options.configHome, options.env ?? {}), SHELL: '/bin/sh', TERM: 'dumb' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: { pattern: RegExp; resolve: (text: string) => void }[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(output)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(output);
      }
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill('SIGKILL'), waitLimitMs);
  const exit = new Promise<{ code: number; output: string }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      if (signal) reject(new Error(`script killed by ${signal} (hung?):\n${output}`));
      else resolve({ code: code ?? -1, output });
    });
  });
  return {
    waitFor(pattern) {
      if (pattern.test(output)) return Promise.resolve(output);
      return new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve });
        exit.then(() => reject(new Error(`the CLI exited without printing ${pattern}:\n${output}`)), reject);
      });
    },
    type(text) {
      child.stdin.write(text);
    },
    exit,
  };
}
