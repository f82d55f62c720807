// What the rotation-run tests and bench/rotation-runs.ts share: a stack whose portal runs
// deployments as processes, the admin calls they need, the example services of examples/ as
// deployments, and reading a sequence topic back with @streamgate/client.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { QuixStreamingClient } from '@streamgate/client';
import { type Stack, startStack } from './stack.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
export const examplesDir = join(repoRoot, 'examples');

/** A portal with the process runner, short broker JWTs and a short readiness delay, and a broker. */
export function startRunnerStack(env: Record<string, string> = {}): Promise<Stack> {
  return startStack({
    env: {
      STREAMGATE_RUNNER: 'process',
      STREAMGATE_BROKER_JWT_TTL_SECONDS: '10',
      STREAMGATE_DEPLOYMENT_READY_SECONDS: '2',
      // Under the 10 s after which the test stack kills a portal that does not stop.
      STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS: '8',
      // Many services renew JWTs every 8 s from one address; the per-workspace limit is not under test.
      STREAMGATE_TOKEN_REQUESTS_PER_MINUTE: '100000',
      ...env,
    },
  });
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface Token {
  id: string;
  value: string;
}

export interface DeploymentView {
  deploymentId: string;
  name: string;
  status: string;
  statusDetail: string | null;
  tokenId: string;
  tokenSlot: 1 | 2 | null;
  runningTokenIds: string[];
  restartRequired: boolean;
  replicas: number;
  replicasReady: number;
  restartCount: number;
}

export interface RotationClientView {
  userAgent: string;
  address: string;
  deploymentId: string | null;
  lastUsedAt: string;
}

export interface RotationStepView {
  name: string;
  state: string;
  startedAt: string | null;
  endedAt: string | null;
  detail: string | null;
  deployments: { deploymentId: string; name: string; state: string; downtimeMs: number | null }[];
  clients: RotationClientView[];
}

export interface RotationRunView {
  rotationId: string;
  status: string;
  error: string | null;
  brokerCutoff: string | null;
  fromTokenIds: { token1: string; token2: string };
  steps: RotationStepView[];
  createdAt: string;
  endedAt: string | null;
}

export interface DeploymentSpec {
  name: string;
  command: string[];
  workingDirectory?: string;
  variables?: Record<string, string>;
  replicas?: number;
}

/** The Portal API as the first admin (a session with its CSRF token). */
export interface AdminApi {
  call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer<T>>;
  ok<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
  createWorkspace(workspaceId: string): Promise<void>;
  tokens(workspaceId: string): Promise<{ token1: Token; token2: Token; etag: string }>;
  createTopic(workspaceId: string, name: string): Promise<string>;
  createDeployment(workspaceId: string, spec: DeploymentSpec): Promise<DeploymentView>;
  deployment(workspaceId: string, deploymentId: string): Promise<DeploymentView>;
  logs(workspaceId: string, deploymentId: string): Promise<string>;
  startRotation(
    workspaceId: string,
    body: { mode: 'zero-downtime' | 'restart-deployments'; quietSeconds?: number; force?: boolean },
  ): Promise<RotationRunView>;
  run(workspaceId: string, rotationId: string): Promise<RotationRunView>;
}

export async function adminApi(stack: Stack): Promise<AdminApi> {
  const login = await fetch(`${stack.portalUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${stack.portalUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, text, headers: response.headers };
  };
  const ok = async <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
    const answer = await call<T>(method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
    return answer.body;
  };

  return {
    call,
    ok,
    async createWorkspace(workspaceId) {
      await ok('POST', '/workspaces', { workspaceId, name: workspaceId });
    },
    async tokens(workspaceId) {
      const answer = await call<{ token1: Token; token2: Token }>(
        'GET',
        `/workspaces/${workspaceId}/streaming-tokens`,
      );
      if (answer.status !== 200) throw new Error(`streaming tokens: ${answer.status} ${answer.text}`);
      const pick = (t: Token) => ({ id: t.id, value: t.value });
      return {
        token1: pick(answer.body.token1),
        token2: pick(answer.body.token2),
        etag: answer.headers.get('etag') ?? '',
      };
    },
    async createTopic(workspaceId, name) {
      const topic = await ok<{ id: string }>('POST', `/${workspaceId}/topics`, {
        name,
        configuration: { partitions: 1 },
      });
      return topic.id;
    },
    createDeployment: (workspaceId, spec) =>
      ok<DeploymentView>('POST', `/workspaces/${workspaceId}/deployments`, spec),
    deployment: (workspaceId, deploymentId) =>
      ok<DeploymentView>('GET', `/workspaces/${workspaceId}/deployments/${deploymentId}`),
    logs: (workspaceId, deploymentId) =>
      ok<string>('GET', `/workspaces/${workspaceId}/deployments/${deploymentId}/logs?tail=10000`),
    async startRotation(workspaceId, body) {
      const plan = await call('GET', `/workspaces/${workspaceId}/streaming-tokens/rotation-plan`);
      if (plan.status !== 200) throw new Error(`rotation plan: ${plan.status} ${plan.text}`);
      return ok<RotationRunView>('POST', `/workspaces/${workspaceId}/streaming-tokens/rotations`, body, {
        'if-match': plan.headers.get('etag') ?? '',
      });
    },
    run: (workspaceId, rotationId) =>
      ok<RotationRunView>('GET', `/workspaces/${workspaceId}/streaming-tokens/rotations/${rotationId}`),
  };
}

/** Polls `check` every 200 ms until it returns a value (not undefined), or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? `: ${last}` : ''}`);
    await sleep(200);
  }
}

export const runEnded = (api: AdminApi, workspaceId: string, rotationId: string, timeoutMs = 120_000) =>
  waitFor(
    `rotation run ${rotationId} to end`,
    async () => {
      const run = await api.run(workspaceId, rotationId);
      return run.status === 'running' ? undefined : run;
    },
    timeoutMs,
  );

export const step = (run: RotationRunView, name: string) => {
  const found = run.steps.find((s) => s.name === name);
  if (!found) throw new Error(`run ${run.rotationId} has no step ${name}: ${JSON.stringify(run.steps)}`);
  return found;
};

/** Deployment commands for the example services (absolute paths, the Node running this process). */
export const examples = {
  nodeProducer: (): string[] => [process.execPath, join(examplesDir, 'sequence-producer.ts')],
  nodeConsumer: (): string[] => [process.execPath, join(examplesDir, 'sequence-consumer.ts')],
  /** The car-telemetry producer: App.run rejects on a revoked token, so it exits 1 then. */
  carTelemetry: (): string[] => [process.execPath, join(examplesDir, 'producer.ts')],
  pythonProducer: (python: string): string[] => [python, join(examplesDir, 'sequence_producer.py')],
  /** quixstreams writes a state/ folder into its working directory. */
  scratchDir: (): string => mkdtempSync(join(tmpdir(), 'streamgate-deployment-')),
};

/** The JSON lines the example services print ({"event": ...}), in order. */
export function serviceEvents(log: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of log.split('\n')) {
    if (!line.startsWith('{"event"')) continue;
    try {
      events.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a line cut by log rotation
    }
  }
  return events;
}

export interface StoppedProducer {
  producer: string;
  sent: number;
  acked: number;
  failed: number;
  lastAcked: number;
}

export const stoppedProducers = (log: string) =>
  serviceEvents(log).filter(
    (e) => e.event === 'stopped' && typeof e.producer === 'string',
  ) as unknown as StoppedProducer[];

/** Waits until the deployment runs on `tokenId` only, every replica ready, and each printed "producing" since. */
export async function deploymentProducing(
  api: AdminApi,
  workspaceId: string,
  deploymentId: string,
  opts: { tokenId?: string; afterProducers?: Set<string>; timeoutMs?: number } = {},
): Promise<DeploymentView> {
  return waitFor(
    `deployment ${deploymentId} to run and produce`,
    async () => {
      const d = await api.deployment(workspaceId, deploymentId);
      if (d.status !== 'Running' || d.replicasReady < d.replicas) return undefined;
      if (opts.tokenId && (d.tokenId !== opts.tokenId || d.runningTokenIds.some((t) => t !== opts.tokenId)))
        return undefined;
      const producing = serviceEvents(await api.logs(workspaceId, deploymentId)).filter(
        (e) => e.event === 'producing' && !opts.afterProducers?.has(e.producer as string),
      );
      return producing.length >= d.replicas ? d : undefined;
    },
    opts.timeoutMs ?? 90_000,
  );
}

/** Stops a deployment and waits until every instance exited (each producer printed its "stopped" line). */
export async function stopDeployment(
  api: AdminApi,
  workspaceId: string,
  deploymentId: string,
): Promise<string> {
  await api.ok('POST', `/workspaces/${workspaceId}/deployments/${deploymentId}/stop`);
  await waitFor(
    `deployment ${deploymentId} to stop`,
    async () => ((await api.deployment(workspaceId, deploymentId)).status === 'Stopped' ? true : undefined),
    60_000,
  );
  return api.logs(workspaceId, deploymentId);
}

/** Stops every deployment of the workspaces (before the stack stops: the broker goes first). */
export async function stopAllDeployments(api: AdminApi, workspaceIds: readonly string[]): Promise<void> {
  for (const ws of workspaceIds) {
    const list = await api.call<DeploymentView[]>('GET', `/workspaces/${ws}/deployments`);
    if (list.status !== 200) continue;
    await Promise.allSettled(
      list.body.filter((d) => d.status !== 'Stopped').map((d) => stopDeployment(api, ws, d.deploymentId)),
    );
  }
}

export interface SequenceMessage {
  producer: string;
  seq: number;
  at: number;
}

/**
 * Reads a sequence topic from the start with @streamgate/client until `complete(messages)` says
 * everything expected is there, or `timeoutMs` passes (then it returns what it has).
 */
export async function readSequence(
  stack: Stack,
  workspaceId: string,
  token: string,
  topic: string,
  complete: (messages: SequenceMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<SequenceMessage[]> {
  const client = new QuixStreamingClient(token, { portalApi: stack.portalUrl, workspaceId, env: {} });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  const messages: SequenceMessage[] = [];
  try {
    const consumer = await client.getRawTopicConsumer(topic, null, { autoOffsetReset: 'earliest' });
    consumer.on('error', (error) => errors.push(error));
    consumer.onMessageReceived((message) => {
      let body: SequenceMessage | null = null;
      try {
        body = JSON.parse(message.value?.toString('utf8') ?? 'null') as SequenceMessage | null;
      } catch {
        return; // not one of the sequence producers' messages
      }
      if (body && typeof body.producer === 'string' && typeof body.seq === 'number') messages.push(body);
    });
    await consumer.subscribe();
    const deadline = Date.now() + timeoutMs;
    while (!complete(messages) && Date.now() < deadline && errors.length === 0) await sleep(200);
  } finally {
    await client.close().catch(() => {});
  }
  if (errors.length > 0)
    throw new Error(`reading ${topic} back failed: ${errors.map((e) => e.message).join('; ')}`);
  return messages;
}

export interface ProducerSequence {
  seqs: Set<number>;
  max: number;
  /** Seqs below max that never arrived. */
  missing: number[];
}

export function byProducer(messages: readonly SequenceMessage[]): Map<string, ProducerSequence> {
  const out = new Map<string, ProducerSequence>();
  for (const m of messages) {
    let entry = out.get(m.producer);
    if (!entry) {
      entry = { seqs: new Set(), max: -1, missing: [] };
      out.set(m.producer, entry);
    }
    entry.seqs.add(m.seq);
    entry.max = Math.max(entry.max, m.seq);
  }
  for (const entry of out.values())
    for (let seq = 0; seq <= entry.max; seq++) if (!entry.seqs.has(seq)) entry.missing.push(seq);
  return out;
}

/** Every acknowledged seq (0..lastAcked of each stopped producer) is among the messages read. */
export function allAcknowledgedRead(
  stopped: readonly StoppedProducer[],
  messages: readonly SequenceMessage[],
) {
  const read = byProducer(messages);
  return stopped.every((p) => {
    const seqs = read.get(p.producer)?.seqs;
    if (p.lastAcked < 0) return true;
    if (!seqs) return false;
    for (let seq = 0; seq <= p.lastAcked; seq++) if (!seqs.has(seq)) return false;
    return true;
  });
}

/**
 * The longest time with nothing stored from a deployment's producers (all its instances, by the
 * time each message was sent): downtime as its readers see it. `from`/`to` bound the window.
 */
export function longestSilenceMs(
  messages: readonly SequenceMessage[],
  producerPrefix: string,
  window: { from: number; to: number },
): number {
  const times = messages
    .filter((m) => m.producer.startsWith(producerPrefix) && m.at >= window.from && m.at <= window.to)
    .map((m) => m.at)
    .sort((a, b) => a - b);
  if (times.length === 0) return window.to - window.from;
  let longest = Math.max(times[0]! - window.from, window.to - times.at(-1)!);
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i]! - times[i - 1]!);
  return longest;
}
