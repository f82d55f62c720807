import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Producer, saslOAuthBearer, stringSerializers } from '@platformatic/kafka';
import autocannon from 'autocannon';
import { startStack } from '../packages/portal/test-support/stack.ts';
import { replaceSection } from './results-file.ts';

/**
 * Broker access, measured on a real portal process and a real Kafka broker:
 *  1. POST /oauth/token (Basic workspace:streaming token → a signed broker JWT) against the
 *     no-op GET /healthz on the same server, alternating rounds, as a throughput ratio;
 *  2. "I have a streaming token" → "my first message is acknowledged" (read the librdkafka
 *     config, mint a JWT, connect, produce) against a raw client that already holds a broker
 *     JWT (connect, produce), alternating, as a ratio of medians.
 *
 *   node bench/broker-access.ts [--rounds 3] [--duration 5] [--connections 50] [--samples 15] [--no-write]
 */
const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    samples: { type: 'string', default: '15' },
    'no-write': { type: 'boolean', default: false },
  },
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

// The request limit per workspace would otherwise turn the benchmark into a 429 benchmark.
const stack = await startStack({
  env: { STREAMGATE_TOKEN_REQUESTS_PER_MINUTE: '10000000', STREAMGATE_LOG_LEVEL: 'warn' },
});
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
  ).json()) as {
    token1: { value: string };
  };
  const token = tokens.token1.value;
  const created = await fetch(`${stack.portalUrl}/dev/topics`, {
    method: 'POST',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`topic: ${created.status} ${await created.text()}`);
  const basic = `Basic ${Buffer.from(`dev:${token}`).toString('base64')}`;

  // 1. Token endpoint throughput.
  const load = async (
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string },
  ) => {
    const result = await autocannon({
      url: `${stack.portalUrl}${path}`,
      connections: Number(args.connections),
      duration: Number(args.duration),
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
    });
    if (result.non2xx > 0) throw new Error(`${path}: ${result.non2xx} non-2xx answers`);
    return result.requests.average;
  };
  const mintRequest = {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  };
  await load('/healthz', {});
  await load('/oauth/token', mintRequest);
  const noop: number[] = [];
  const minted: number[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    noop.push(await load('/healthz', {}));
    minted.push(await load('/oauth/token', mintRequest));
  }

  // 2. Time to the first acknowledged message.
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
    const mint = async () => {
      const answer = await fetch(config['sasl.oauthbearer.token.endpoint.url']!, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${config['sasl.oauthbearer.client.id']}:${config['sasl.oauthbearer.client.secret']}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      return ((await answer.json()) as { access_token: string }).access_token;
    };
    await firstAck(mint, config['bootstrap.servers']!);
    return performance.now() - started;
  };
  const withJwt = async (jwt: string) => {
    const started = performance.now();
    await firstAck(async () => jwt, stack.kafkaBootstrap!);
    return performance.now() - started;
  };
  const preMinted = async () =>
    (
      (await (await fetch(`${stack.portalUrl}/oauth/token`, { ...mintRequest })).json()) as {
        access_token: string;
      }
    ).access_token;
  await fromToken();
  await withJwt(await preMinted());
  const tokenTimes: number[] = [];
  const rawTimes: number[] = [];
  for (let sample = 0; sample < Number(args.samples); sample++) {
    tokenTimes.push(await fromToken());
    const jwt = await preMinted(); // minted outside the timed part: the raw client already has it
    rawTimes.push(await withJwt(jwt));
  }

  const throughputRatio = median(minted) / median(noop);
  const firstRatio = median(tokenTimes) / median(rawTimes);
  const table = [
    '| measurement | baseline | Streamgate path | ratio |',
    '| --- | --- | --- | --- |',
    `| token endpoint throughput (req/s, median of ${args.rounds} rounds, ${args.connections} connections) | GET /healthz: ${median(noop).toFixed(0)} | POST /oauth/token: ${median(minted).toFixed(0)} | **${throughputRatio.toFixed(2)}** |`,
    `| time to the first acknowledged message (ms, median of ${args.samples}) | client holding a broker JWT: ${median(rawTimes).toFixed(1)} | from a streaming token (config + mint + produce): ${median(tokenTimes).toFixed(1)} | **${firstRatio.toFixed(2)}** |`,
  ].join('\n');
  console.log(table);
  if (!args['no-write']) {
    replaceSection(
      'broker-access',
      [
        '## Broker access: token endpoint and time to the first message',
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} on this project's 2-core machine, one portal process (SQLite) and one Kafka broker on loopback.`,
        '',
        table,
        '',
        'The token endpoint signs an ES256 JWT per request (node:crypto through fast-jwt) and reads the token by its hash;',
        'the ratio says what that costs against a route that does nothing. The first-message ratio is what a client pays',
        'for never handling broker credentials: one extra HTTP round trip for the config and one for the JWT.',
        '',
        'Reproduce: `./streamgate setup && node bench/broker-access.ts` (PATH with Node 24: `.tools/bin`).',
      ].join('\n'),
    );
  }
} finally {
  await stack.stop();
}
