// The legacy QuixStreamingClient (PyPI quixstreams 0.5.7: a C# core with librdkafka 1.9.2, which
// speaks SASL PLAIN but not OAUTHBEARER) against the real portal and broker, configured only with
// Quix__Sdk__Token and Quix__Portal__Api: it finds its PLAIN login in the workspace object, and
// what it writes is read by another legacy client and by @streamgate/client; it reads what
// @streamgate/client writes with framing: 'headerless' (the default __Q_ headers are raw messages
// to it); a rotation cuts Token 1 off while Token 2 carries on; STREAMGATE_KAFKA_PLAIN=off makes it
// fail with a reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { QuixStreamingClient, type TimeseriesRow } from '../src/index.ts';
import { type LegacyResult, runLegacy, startLegacy } from '../test-support/legacy-python.ts';
import { ensureLegacyPythonVenv } from '../test-support/python-venv.ts';
import {
  eventually,
  loginAdmin,
  rotateTokens,
  type Stack,
  startClientStack,
  streamingTokens,
} from '../test-support/stack.ts';

const ofKind = (results: LegacyResult[], kind: string) => results.filter((r) => r.kind === kind);

describe('the legacy QuixStreamingClient (quixstreams 0.5.7) over PLAIN', { timeout: 900_000 }, () => {
  let stack: Stack;
  let pair: { token1: string; token2: string };
  const clients: QuixStreamingClient[] = [];
  const envOf = (token: string) => ({ Quix__Sdk__Token: token, Quix__Portal__Api: stack.portalUrl });
  const tsClient = (token: string) => {
    const client = new QuixStreamingClient(token, { portalApi: stack.portalUrl, env: {} });
    clients.push(client);
    return client;
  };

  before(async () => {
    await ensureLegacyPythonVenv();
    stack = await startClientStack();
    pair = await streamingTokens(stack, await loginAdmin(stack));
  });
  after(async () => {
    for (const client of clients) await client.close();
    await stack?.stop();
  });

  it('produces a stream with properties and events that another QuixStreamingClient and @streamgate/client read', async () => {
    const produced = await runLegacy(['produce', 'legacy-out', 'car-7', '25'], envOf(pair.token1));
    assert.deepEqual(produced, [{ produced: 25 }]);

    // A second legacy client, on the other token, reads it all back.
    const read = await runLegacy(['consume', 'legacy-out', 'legacy-readers', '1', '120'], envOf(pair.token2));
    assert.deepEqual(ofKind(read, 'done'), [{ kind: 'done', closed: 1 }]);
    const rows = ofKind(read, 'row');
    assert.equal(rows.length, 25);
    assert.deepEqual(rows[3], {
      kind: 'row',
      stream: 'car-7',
      timestamp: '1700000000000000003', // a string: nanoseconds exceed a double's precision
      values: { n: 3, label: 'row-3' },
      tags: { car: 'car-7' },
    });
    assert.deepEqual(
      ofKind(read, 'event').map((e) => [e.stream, e.id, e.value]),
      [['car-7', 'pit', 'in']],
    );
    assert.deepEqual(ofKind(read, 'properties').at(-1), {
      kind: 'properties',
      stream: 'car-7',
      name: 'Legacy car-7',
      metadata: { source: 'quixstreams-0.5.7' },
    });

    // @streamgate/client reads the same stream.
    const consumer = await tsClient(pair.token2).getTopicConsumer('legacy-out', 'ts-readers', {
      autoOffsetReset: 'earliest',
    });
    const tsRows: TimeseriesRow[] = [];
    const events: string[] = [];
    let name: string | null = null;
    let closed = false;
    consumer.onStreamReceived((stream) => {
      stream.timeseries.onDataReceived((data) => tsRows.push(...data.rows));
      stream.events.onDataReceived((event) => events.push(`${stream.id}:${event.id}=${event.value}`));
      stream.onPropertiesChanged((properties) => {
        name = properties.name;
      });
      stream.onStreamClosed(() => {
        closed = true;
      });
    });
    await consumer.subscribe();
    await eventually(
      'the legacy stream through @streamgate/client',
      () => closed && tsRows.length === 25,
      90_000,
    );
    await consumer.close();
    const row = tsRows.find((r) => r.values.n === 11)!;
    assert.equal(row.timestamp, 1700000000000000011n);
    assert.equal(row.values.label, 'row-11');
    assert.deepEqual({ ...row.tags }, { car: 'car-7' });
    assert.deepEqual(events, ['car-7:pit=in']);
    assert.equal(name, 'Legacy car-7');
  });

  it("reads a stream that @streamgate/client wrote with framing: 'headerless'", async () => {
    const producer = await tsClient(pair.token1).getTopicProducer('legacy-in', { framing: 'headerless' });
    const stream = producer.createStream('ts-car');
    // Non-ASCII text: the envelope's S and E are byte offsets, which the C# reader slices by.
    stream.properties.name = 'Zürich → 東京 🏎';
    stream.properties.metadata.set('source', '@streamgate/client');
    for (let i = 0; i < 12; i++) {
      const row = stream.timeseries.buffer
        .addTimestampNanoseconds(1700000000000000007n + BigInt(i))
        .addValue('speed', i * 1.25)
        .addTag('car', 'ts-car')
        .addTag('lap', String(i % 3));
      if (i !== 4) row.addValue('gear', i === 5 ? 'Rückwärts' : `g${i}`);
      row.publish();
    }
    stream.events
      .addTimestampNanoseconds(1700000000000000500n)
      .addValue('pit', 'in')
      .addTag('lap', '2')
      .publish();
    await stream.close();
    await producer.close();

    const read = await runLegacy(
      ['consume', 'legacy-in', 'legacy-in-readers', '1', '120'],
      envOf(pair.token2),
    );
    assert.deepEqual(ofKind(read, 'done'), [{ kind: 'done', closed: 1 }]);
    assert.deepEqual(ofKind(read, 'closed'), [{ kind: 'closed', stream: 'ts-car' }]);
    const rows = ofKind(read, 'row');
    assert.equal(rows.length, 12);
    assert.deepEqual(rows[5], {
      kind: 'row',
      stream: 'ts-car',
      timestamp: '1700000000000000012',
      values: { speed: 6.25, gear: 'Rückwärts' },
      tags: { car: 'ts-car', lap: '2' },
    });
    assert.deepEqual(rows[4], {
      kind: 'row',
      stream: 'ts-car',
      timestamp: '1700000000000000011',
      values: { speed: 5, gear: null }, // a null in the column: 0.5.7 lists the parameter, valueless
      tags: { car: 'ts-car', lap: '1' },
    });
    assert.deepEqual(
      rows.map((r) => r.timestamp),
      Array.from({ length: 12 }, (_, i) => String(1700000000000000007n + BigInt(i))),
    );
    // Exactly one event, the real one: a message 0.5.7 could not read would arrive as a raw event.
    assert.deepEqual(ofKind(read, 'event'), [
      {
        kind: 'event',
        stream: 'ts-car',
        id: 'pit',
        value: 'in',
        timestamp: '1700000000000000500',
        tags: { lap: '2' },
      },
    ]);
    assert.deepEqual(ofKind(read, 'properties').at(-1), {
      kind: 'properties',
      stream: 'ts-car',
      name: 'Zürich → 東京 🏎',
      metadata: { source: '@streamgate/client' },
    });
  });

  it('refuses Token 1 at the broker after a rotation while a Token 2 producer carries on with zero errors', async () => {
    const session = await loginAdmin(stack);
    const before = await streamingTokens(stack, session);
    const oldPrincipal = await token1Principal(session);
    const old = await startLegacy(['loop', 'legacy-rotation', 'on-token1', '60'], envOf(before.token1));
    const steady = await startLegacy(['loop', 'legacy-rotation', 'on-token2', '60'], envOf(before.token2));
    try {
      await eventually(
        'both producers sending',
        () => old.results().some((r) => r.sent === 20) && steady.results().some((r) => r.sent === 20),
        120_000,
      );
      await rotateTokens(stack, session, before.etag);
      // The broker refuses the old token's producer: its writes fail (ACLs gone), and when its
      // PLAIN session ends it cannot log in again. Bounded wait, not a timing assertion.
      await eventually(
        'the Token 1 producer refused',
        () =>
          old.results().some((r) => 'error' in r) ||
          /Invalid username or password|authori[sz]ation failed|not authorized/i.test(old.output()),
        60_000,
      );
      // The plugin refused the old principal's login again when its session expired.
      await eventually(
        "the broker refusing Token 1's re-login",
        () => brokerLog().includes(`PLAIN login as ${oldPrincipal} refused`),
        60_000,
      );
    } finally {
      old.kill();
    }
    await steady.exited;
    const done = steady.results().find((r) => 'done' in r);
    assert.ok(done, steady.output().slice(-3000));
    assert.equal(done.errors, 0, steady.output().slice(-3000));
    assert.deepEqual(
      steady.results().filter((r) => 'error' in r),
      [],
    );

    // Every row Token 2 sent arrived (the consumer is @streamgate/client on the new Token 1).
    const consumer = await tsClient(before.token2).getTopicConsumer('legacy-rotation', 'rotation-check', {
      autoOffsetReset: 'earliest',
    });
    const seen = new Set<number>();
    consumer.onStreamReceived((stream) => {
      if (stream.id !== 'on-token2') return;
      stream.timeseries.onDataReceived((data) => {
        for (const row of data.rows) seen.add(Number(row.values.n));
      });
    });
    await consumer.subscribe();
    await eventually(`all ${done.done} Token 2 rows`, () => seen.size === done.done, 90_000);
    await consumer.close();
  });

  it("keeps the tokens out of the portal's and the broker's logs", () => {
    const logs = [stack.portal.output(), brokerLog()];
    for (const token of [pair.token1, pair.token2]) {
      for (const log of logs) {
        assert.ok(!log.includes(token));
        assert.ok(!log.includes(token.slice(4, 24)));
      }
    }
  });

  const brokerLog = () => readFileSync(join(stack.kafkaDataDir!, 'logs', 'server.log'), 'utf8');

  /** The broker principal of the current Token 1. */
  async function token1Principal(session: { cookie: string }): Promise<string> {
    const response = await fetch(`${stack.portalUrl}/workspaces/dev/streaming-tokens?values=false`, {
      headers: { cookie: session.cookie },
    });
    return `sgt-${((await response.json()) as { token1: { id: string } }).token1.id}`;
  }
});

describe('the legacy QuixStreamingClient with STREAMGATE_KAFKA_PLAIN=off', { timeout: 600_000 }, () => {
  let stack: Stack;

  before(async () => {
    await ensureLegacyPythonVenv();
    stack = await startClientStack({ STREAMGATE_KAFKA_PLAIN: 'off' });
  });
  after(async () => {
    await stack?.stop();
  });

  it('fails with the reason: the broker wants OAuthBearer, which it does not support', async () => {
    const { token1 } = await streamingTokens(stack, await loginAdmin(stack));
    const results = await runLegacy(['open', 'legacy-off'], {
      Quix__Sdk__Token: token1,
      Quix__Portal__Api: stack.portalUrl,
    });
    assert.equal(results.length, 1);
    assert.match(String(results[0]!.error), /SASL mechanism OAuthBearer is not supported/);
  });
});
