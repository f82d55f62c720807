import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Producer, saslOAuthBearer, stringSerializers } from '@platformatic/kafka';
import { startStack } from '../packages/portal/test-support/stack.ts';
import {
  benchCredentials,
  compareAlternating,
  comparisonTable,
  machineLine,
  measure,
  median,
  type PortalInstance,
  pinLoadGenerator,
  type Rounds,
  roundOptions,
  roundSettings,
  startPortal,
  stopPortal,
  type Target,
  unpinLoadGenerator,
} from './portal-load.ts';
import { replaceSection } from './results-file.ts';

/**
 * Broker access, measured on real portal processes and a real Kafka broker:
 *  1. POST /oauth/token (Basic workspace:streaming token → a signed broker JWT) against the
 *     no-op GET /healthz on the same portal (SQLite), in alternating rounds, pinned as
 *     bench/portal-auth.ts is: req/s and the portal's CPU time per request;
 *  2. "I have a streaming token" → "my first message is acknowledged" (read the librdkafka
 *     config, mint a JWT, connect, produce) against a raw client that already holds a broker
 *     JWT (connect, produce), alternating, as a ratio of medians. --no-kafka leaves this out.
 *
 *   node bench/broker-access.ts [--rounds 9] [--duration 3] [--connections 50] [--warmup 3]
 *                               [--samples 15] [--no-kafka] [--no-pin] [--no-write]
 *                               [--cpu-prof <dir>] [--server <path to server.ts>]
 */
const { values: args } = parseArgs({
  options: {
    ...roundOptions,
    samples: { type: 'string', default: '15' },
    'no-kafka': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const { rounds, seconds, connections, warmup, pinned } = roundSettings(args);
const target = 0.5;
const loadAtStart = loadavg()[0]!;

// The request limit per workspace would otherwise turn the benchmark into a 429 benchmark.
const unlimited = { STREAMGATE_TOKEN_REQUESTS_PER_MINUTE: '10000000' };
const grant = 'grant_type=client_credentials';
const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;

/** 1. The token endpoint against the no-op, on a portal of its own (no broker needed). */
async function tokenEndpoint(): Promise<Rounds> {
  if (pinned) pinLoadGenerator();
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-bench-'));
  const email = 'admin@example.test';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  let portal: PortalInstance | undefined;
  try {
    portal = await startPortal({
      dataDir,
      env: { STREAMGATE_ADMIN_EMAIL: email, STREAMGATE_ADMIN_PASSWORD: password, ...unlimited },
      cpu: pinned ? 1 : null,
      ...(args.server ? { server: resolve(args.server) } : {}),
      ...(args['cpu-prof'] ? { profileDir: args['cpu-prof'] } : {}),
    });
    const { url, pid } = portal;
    const { streamingToken } = await benchCredentials(url, email, password);
    const noop: Target = { name: 'GET /healthz (no-op)', path: '/healthz' };
    const mint: Target = {
      name: 'POST /oauth/token',
      path: '/oauth/token',
      method: 'POST',
      headers: {
        authorization: basic('dev', streamingToken),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: grant,
    };
    const run = (t: Target, duration = seconds) =>
      measure(t, { urls: [url], connections, seconds: duration, cpu: { portal: () => [pid!] } });
    for (const t of [noop, mint]) {
      console.error(`warm-up: ${t.name}`);
      await run(t, warmup);
    }
    return await compareAlternating(noop, mint, rounds, run);
  } finally {
    if (portal) await stopPortal(portal.child);
    rmSync(dataDir, { recursive: true, force: true });
    if (pinned) unpinLoadGenerator(); // the broker and the portal of part 2 place freely
  }
}

/** 2. Time to the first acknowledged message, with and without the portal in the path. */
async function firstMessage(): Promise<{ fromToken: number[]; withJwt: number[] }> {
  const stack = await startStack({ env: { ...unlimited, STREAMGATE_LOG_LEVEL: 'warn' } });
  try {
    const login = await fetch(`${stack.portalUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    const tokens = (await (
      await fetch(`${stack.portalUrl}/workspaces/dev/streaming-tokens`, { headers: { cookie } })
    ).json()) as { token1: { value: string } };
    const token = tokens.token1.value;
    const created = await fetch(`${stack.portalUrl}/dev/topics`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`topic: ${created.status} ${await created.text()}`);
    const mintOnce = async (endpoint: string, clientId: string, secret: string) => {
      const answer = await fetch(endpoint, {
        method: 'POST',
        headers: {
          authorization: basic(clientId, secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: grant,
      });
      return ((await answer.json()) as { access_token: string }).access_token;
    };
    const firstAck = async (jwtProvider: () => Promise<string>, bootstrap: string) => {
      const producer = new Producer({
        clientId: 'bench-first-message',
        bootstrapBrokers: [bootstrap],
        serializers: stringSerializers,
        sasl: {
          mechanism: 'OAUTHBEARER',
          token: jwtProvider,
          authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
        },
      });
      try {
        await producer.send({ messages: [{ topic: 'dev-bench', key: 'k', value: 'v' }] });
      } finally {
        await producer.close();
      }
    };
    const fromToken = async () => {
      const started = performance.now();
      const config = (await (
        await fetch(`${stack.portalUrl}/workspaces/dev/broker/librdkafka`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()) as Record<string, string>;
      const mint = () =>
        mintOnce(
          config['sasl.oauthbearer.token.endpoint.url']!,
          config['sasl.oauthbearer.client.id']!,
          config['sasl.oauthbearer.client.secret']!,
        );
      await firstAck(mint, config['bootstrap.servers']!);
      return performance.now() - started;
    };
    const withJwt = async (jwt: string) => {
      const started = performance.now();
      await firstAck(async () => jwt, stack.kafkaBootstrap!);
      return performance.now() - started;
    };
    const preMinted = () => mintOnce(`${stack.portalUrl}/oauth/token`, 'dev', token);
    await fromToken();
    await withJwt(await preMinted());
    const times = { fromToken: [] as number[], withJwt: [] as number[] };
    for (let sample = 0; sample < Number(args.samples); sample++) {
      times.fromToken.push(await fromToken());
      const jwt = await preMinted(); // minted outside the timed part: the raw client already has it
      times.withJwt.push(await withJwt(jwt));
    }
    return times;
  } finally {
    await stack.stop();
  }
}

const endpoint = await tokenEndpoint();
const first = args['no-kafka'] ? null : await firstMessage();

const summary = comparisonTable('GET /healthz (no-op)', 'POST /oauth/token', endpoint);
const range = `${summary.range[0].toFixed(2)}–${summary.range[1].toFixed(2)}`;
const passed = process.argv.slice(2).filter((arg) => arg !== '--no-write');
const command = ['node bench/broker-access.ts', ...passed].join(' ');
const section = [
  '## Broker access: token endpoint and time to the first message',
  '',
  `Measured ${new Date().toISOString().slice(0, 10)}, ${machineLine(loadAtStart)}`,
  '',
  `### Token endpoint vs no-op`,
  '',
  `One portal process (SQLite, request logging at info, the per-workspace request limit raised out of the way)${pinned ? ' pinned to CPU 1, autocannon on CPU 0' : ', placement left to the kernel'}; ` +
    `autocannon -c ${connections} -d ${seconds} per run after a ${warmup} s warm-up of each target, ${rounds} rounds alternating which runs first. ` +
    'Every request authenticates the workspace and its streaming token (HTTP Basic, the token looked up by its hash), passes the limiter and gets a broker JWT: one ES256 signature per token and second, so the requests of one second after the first reuse its JWT (`reuseWithinSecond`; what a mint costs when it must sign is in “Token path: where the time goes”).',
  '',
  ...summary.lines,
  '',
  `POST /oauth/token / no-op: **${summary.ratio.toFixed(2)}** (rounds ${range}; target ≥ ${target.toFixed(2)}: ${summary.ratio >= target ? 'met' : '**not met**'}).`,
  '',
  'What the endpoint costs besides its signature, why signing on every request kept it under 0.5 on this machine, and why reusing a JWT within its second is safe: “Token path: where the time goes (issue 14)” above.',
  '',
  '### Time to the first acknowledged message',
  '',
  first
    ? [
        `One portal process (SQLite) and one Kafka broker on loopback; medians of ${args.samples} samples each, alternating.`,
        '',
        '| measurement | baseline | Streamgate path | ratio |',
        '| --- | --- | --- | --- |',
        `| time to the first acknowledged message (ms) | client holding a broker JWT: ${median(first.withJwt).toFixed(1)} | from a streaming token (config + mint + produce): ${median(first.fromToken).toFixed(1)} | **${(median(first.fromToken) / median(first.withJwt)).toFixed(2)}** |`,
        '',
        'The first-message ratio is what a client pays for never handling broker credentials: one extra HTTP round trip for the config and one for the JWT.',
      ].join('\n')
    : 'Not measured in this run (--no-kafka).',
  '',
  'Reproduce (from the repository root, Node 24 on PATH: `.tools/bin`; the first-message part needs `./streamgate setup` for Kafka):',
  '',
  '```sh',
  command,
  '```',
].join('\n');
console.log(section);
if (!args['no-write']) replaceSection('broker-access', section);
