// Compatibility with the official Python quixstreams package through the real broker: streams this
// client writes are read by quixstreams' QuixDeserializer, and messages written by its Quix
// serializers are read by this client. The Python side is configured like a deployment: only
// Quix__Sdk__Token and Quix__Portal__Api.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QuixStreamingClient, type TimeseriesRow } from '../src/index.ts';
import { parseJson } from '../src/wire/json.ts';
import { jsonWithBigInts, runPython } from '../test-support/python.ts';
import { ensurePythonVenv } from '../test-support/python-venv.ts';
import {
  eventually,
  loginAdmin,
  type Stack,
  startClientStack,
  streamingTokens,
} from '../test-support/stack.ts';

describe('quixstreams interop through the broker', { timeout: 900_000 }, () => {
  let stack: Stack;
  let token: string;
  let env: Record<string, string>;
  let client: QuixStreamingClient;

  before(async () => {
    await ensurePythonVenv();
    stack = await startClientStack();
    token = (await streamingTokens(stack, await loginAdmin(stack))).token1;
    env = { Quix__Sdk__Token: token, Quix__Portal__Api: stack.portalUrl };
    client = new QuixStreamingClient(token, { portalApi: stack.portalUrl, env: {} });
  });
  after(async () => {
    await client?.close();
    await stack?.stop();
  });

  it('quixstreams reads the streams this client writes', async () => {
    const producer = await client.getTopicProducer('to-python');
    const stream = producer.createStream('car-1');
    stream.properties.name = 'ignored by quixstreams';
    for (let i = 0; i < 50; i++) {
      stream.timeseries.buffer
        .addTimestampNanoseconds(1700000000000000000n + BigInt(i))
        .addValue('n', i)
        .addValue('label', `row-${i}`)
        .addValue('bytes', Buffer.from([i]))
        .addTag('car', 'one')
        .publish();
    }
    await stream.events
      .addTimestampNanoseconds(1700000000000000100n)
      .addValue('pit', 'in')
      .addValue('flag', 'yellow')
      .publish();
    await stream.close();

    const out = await runPython('quix_kafka.py', ['consume', 'to-python', '52', '120', 'py-readers'], {
      env,
    });
    const rows = out
      .trim()
      .split('\n')
      .map((line) => parseJson(line) as { key: string; value: Record<string, unknown> });
    assert.equal(rows.length, 52);
    assert.ok(rows.every((r) => r.key === 'car-1'));
    assert.deepEqual(rows[7]!.value, {
      n: 7,
      label: 'row-7',
      bytes: { $b64: Buffer.from([7]).toString('base64') },
      Tags: { car: 'one' },
      Timestamp: 1700000000000000007n,
    });
    assert.deepEqual(
      rows.slice(50).map((r) => [r.value.Id, r.value.Value, r.value.Timestamp]),
      [
        ['pit', 'in', 1700000000000000100n],
        ['flag', 'yellow', 1700000000000000100n],
      ],
    );
  });

  it('this client reads what quixstreams writes with its Quix serializers', async () => {
    const consumer = await client.getTopicConsumer('from-python', 'ts-readers', {
      autoOffsetReset: 'earliest',
    });
    const rows: Array<{ stream: string; row: TimeseriesRow }> = [];
    const events: string[] = [];
    consumer.onStreamReceived((stream) => {
      stream.timeseries.onDataReceived((data) => {
        for (const row of data.rows) rows.push({ stream: stream.id, row });
      });
      stream.events.onDataReceived((event) => {
        events.push(`${stream.id}:${event.id}=${event.value}@${event.timestamp}`);
      });
    });
    await consumer.subscribe();

    const lines = [];
    for (let i = 0; i < 20; i++) {
      lines.push({
        key: `py-${i % 2}`,
        kind: 'timeseries',
        legacy: i % 4 < 2,
        value: {
          n: i,
          label: `l${i}`,
          blob: { $b64: 'AQI=' },
          Tags: { src: 'py' },
          Timestamp: 1700000000000000000n + BigInt(i),
        },
      });
    }
    lines.push({
      key: 'py-0',
      kind: 'events',
      legacy: true,
      value: { Id: 'e1', Value: 'v1', Tags: {}, Timestamp: 5n },
    });
    lines.push({
      key: 'py-1',
      kind: 'events',
      legacy: false,
      value: { Id: 'e2', Value: 'v2', Tags: { t: 'x' }, Timestamp: 6n },
    });
    await runPython('quix_kafka.py', ['produce', 'from-python'], {
      env,
      input: lines.map(jsonWithBigInts).join('\n'),
    });

    await eventually(
      '20 rows and 2 events from Python',
      () => rows.length === 20 && events.length === 2,
      60_000,
    );
    const byN = new Map(rows.map((r) => [r.row.values.n, r]));
    for (let i = 0; i < 20; i++) {
      const got = byN.get(i)!;
      assert.equal(got.stream, `py-${i % 2}`);
      assert.equal(got.row.timestamp, 1700000000000000000n + BigInt(i));
      assert.equal(got.row.values.label, `l${i}`);
      assert.deepEqual([...(got.row.values.blob as Uint8Array)], [1, 2]);
      assert.deepEqual({ ...got.row.tags }, { src: 'py' });
    }
    assert.deepEqual(events.sort(), ['py-0:e1=v1@5', 'py-1:e2=v2@6']);
    await consumer.close();
  });
});
