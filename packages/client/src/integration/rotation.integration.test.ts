// Broker JWTs that expire every 15 s, and a rotation of the streaming tokens, against the real
// portal and broker: a client on Token 2 carries on with zero errors; a client on the old Token 1
// fails loudly (error event, rejected promises), never silently.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AdminSession,
  eventually,
  loginAdmin,
  rotateTokens,
  type Stack,
  type StreamingTokenPair,
  startClientStack,
  streamingTokens,
} from '../../test-support/stack.ts';
import { QuixStreamingClient, TokenRevokedError } from '../index.ts';

const jwtTtlSeconds = 15;

interface Service {
  client: QuixStreamingClient;
  errors: Error[];
  published: number;
  received: Set<number>;
  lastReceivedAt: number;
  stop(): Promise<void>;
  publishOne(): void;
  producerFlush(): Promise<void>;
  consumerCommit(): Promise<void>;
}

/** A producer and a consumer on one client, publishing a row every 50 ms, recording every error. */
async function startService(stack: Stack, token: string, topic: string): Promise<Service> {
  const client = new QuixStreamingClient(token, { portalApi: stack.portalUrl, env: {} });
  const errors: Error[] = [];
  client.on('error', (e) => errors.push(e));
  const producer = await client.getTopicProducer(topic);
  producer.on('error', (e) => errors.push(e));
  const consumer = await client.getTopicConsumer(topic, `${topic}-readers`, {
    autoOffsetReset: 'earliest',
    commitIntervalMs: 1000,
  });
  consumer.on('error', (e) => errors.push(e));
  const service: Service = {
    client,
    errors,
    published: 0,
    received: new Set(),
    lastReceivedAt: 0,
    stop: async () => {},
    publishOne: () => {
      stream.timeseries.buffer.addTimestamp(new Date()).addValue('n', service.published).publish();
      service.published++;
    },
    producerFlush: () => producer.flush(),
    consumerCommit: () => consumer.commit(),
  };
  consumer.onStreamReceived((s) => {
    s.timeseries.onDataReceived((data) => {
      for (const row of data.rows) service.received.add(row.values.n as number);
      service.lastReceivedAt = Date.now();
    });
  });
  await consumer.subscribe();
  const stream = producer.createStream(`${topic}-stream`);
  stream.timeseries.buffer.bufferTimeoutMs = 20;
  const timer = setInterval(() => {
    try {
      service.publishOne();
    } catch (error) {
      errors.push(error as Error);
    }
  }, 50);
  service.stop = async () => {
    clearInterval(timer);
  };
  return service;
}

function assertNoErrors(service: Service): void {
  assert.equal(service.errors.length, 0, service.errors.map((e) => e.message).join('\n'));
}

function tokenEndpointCalls(stack: Stack): number {
  return stack.portal.output().split('"url":"/oauth/token"').length - 1;
}

describe('token refresh and rotation', { timeout: 600_000 }, () => {
  let stack: Stack;
  let session: AdminSession;
  let tokens: StreamingTokenPair;
  const services: Service[] = [];

  before(async () => {
    stack = await startClientStack({ STREAMGATE_BROKER_JWT_TTL_SECONDS: String(jwtTtlSeconds) });
    session = await loginAdmin(stack);
    tokens = await streamingTokens(stack, session);
  });
  after(async () => {
    for (const s of services) await s.stop();
    await Promise.allSettled(services.map((s) => s.client.close()));
    await stack?.stop();
  });

  it('carries on across JWT expiry; after a rotation Token 2 carries on and Token 1 fails loudly', async () => {
    const onToken1 = await startService(stack, tokens.token1, 'rotation-one');
    const onToken2 = await startService(stack, tokens.token2, 'rotation-two');
    services.push(onToken1, onToken2);

    // Phase 1: several JWT lifetimes. Both keep flowing, with no error at all.
    const callsBefore = tokenEndpointCalls(stack);
    for (let window = 0; window < 6; window++) {
      const before = { one: onToken1.received.size, two: onToken2.received.size };
      await sleep(7_000);
      assert.ok(onToken1.received.size > before.one, `Token 1 client stalled in window ${window}`);
      assert.ok(onToken2.received.size > before.two, `Token 2 client stalled in window ${window}`);
    }
    assertNoErrors(onToken1);
    assertNoErrors(onToken2);
    // Two clients over ~42 s of 15 s JWTs: each renewed its JWT at least twice.
    assert.ok(tokenEndpointCalls(stack) - callsBefore >= 4, 'the clients renewed their broker JWTs');

    // Phase 2: rotate. Token 1 is deactivated, Token 2 becomes Token 1.
    await rotateTokens(stack, session, tokens.etag);
    await eventually(
      'Token 1 client to report the revocation',
      () => onToken1.errors.some((e) => e instanceof TokenRevokedError),
      60_000,
    );
    const revocation = onToken1.errors.find((e) => e instanceof TokenRevokedError)!;
    assert.match(revocation.message, /rotated or revoked/);
    assert.ok(onToken1.client.revoked instanceof TokenRevokedError);
    assert.throws(() => onToken1.publishOne(), TokenRevokedError);
    await assert.rejects(onToken1.producerFlush(), TokenRevokedError);
    await assert.rejects(onToken1.consumerCommit(), TokenRevokedError);
    await assert.rejects(onToken1.client.getTopicProducer('rotation-one'), TokenRevokedError);
    assert.ok(
      onToken1.errors.every((e) => e instanceof TokenRevokedError),
      'only revocation errors',
    );

    // Token 2 keeps going through and after the rotation, still without any error.
    const afterRotation = onToken2.received.size;
    await sleep(2 * jwtTtlSeconds * 1000);
    assert.ok(onToken2.received.size > afterRotation + 100, 'Token 2 client kept streaming');
    assertNoErrors(onToken2);

    // And nothing it published is lost.
    await onToken2.stop();
    await onToken2.producerFlush();
    await eventually('every Token 2 row', () => onToken2.received.size === onToken2.published, 30_000);
    assertNoErrors(onToken2);
  });
});
