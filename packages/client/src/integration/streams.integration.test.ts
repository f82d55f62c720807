// Producing and consuming Quix streams through the real portal and the real Kafka broker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  eventually,
  loginAdmin,
  type Stack,
  startClientStack,
  streamingTokens,
} from '../../test-support/stack.ts';
import {
  InvalidArgumentError,
  InvalidTokenError,
  QuixStreamingClient,
  StreamClosedError,
  type StreamItem,
  type TimeseriesData,
  TopicNotFoundError,
} from '../index.ts';

describe('streams through the real portal and broker', { timeout: 600_000 }, () => {
  let stack: Stack;
  let token: string;
  const clients: QuixStreamingClient[] = [];
  const newClient = (options: ConstructorParameters<typeof QuixStreamingClient>[1] = {}) => {
    const client = new QuixStreamingClient(token, { portalApi: stack.portalUrl, env: {}, ...options });
    client.on('error', (error) => assert.fail(`unexpected client error: ${error.message}`));
    clients.push(client);
    return client;
  };

  before(async () => {
    stack = await startClientStack();
    token = (await streamingTokens(stack, await loginAdmin(stack))).token1;
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await stack?.stop();
  });

  it('delivers timeseries, events, properties, definitions and the end of a stream', async () => {
    const client = newClient();
    const consumer = await client.getTopicConsumer('telemetry', 'readers', { autoOffsetReset: 'earliest' });
    assert.equal(consumer.consumerGroup, 'dev-readers');
    assert.equal(consumer.topic.id, 'dev-telemetry');
    const got = {
      rows: [] as TimeseriesData['rows'],
      events: [] as string[],
      names: [] as (string | null)[],
      params: [] as string[],
      end: '',
    };
    consumer.onStreamReceived((stream) => {
      stream.timeseries.onDataReceived((data) => {
        got.rows.push(...data.rows);
      });
      stream.events.onDataReceived((event) => {
        got.events.push(`${event.id}=${event.value}@${event.timestamp}`);
      });
      stream.onPropertiesChanged((properties) => {
        got.names.push(properties.name);
      });
      stream.timeseries.onDefinitionsChanged((definitions) => {
        got.params.push(...definitions.map((d) => `${d.id}:${d.unit}`));
      });
      stream.onStreamClosed((endType) => {
        got.end = endType;
      });
    });
    await consumer.subscribe();

    const producer = await client.getTopicProducer('telemetry');
    const stream = producer.createStream('car-1');
    stream.properties.name = 'Lap 1';
    stream.properties.metadata.set('driver', 'ada');
    stream.timeseries.addDefinition('speed', { unit: 'km/h' });
    stream.timeseries.buffer
      .addTimestampNanoseconds(1700000000123456789n)
      .addValue('speed', 123.5)
      .addValue('gear', 'D')
      .addValue('raw', new Uint8Array([0, 255]))
      .addTag('track', 'monza')
      .publish();
    stream.timeseries.buffer.addTimestamp(new Date(1700000000200)).addValue('speed', 124).publish();
    await stream.events
      .addTimestampNanoseconds(1700000000300000001n)
      .addValue('pit', 'in')
      .addTag('lap', '1')
      .publish();
    await stream.close();

    await eventually('the stream end', () => got.end === 'Closed');
    assert.equal(got.rows.length, 2);
    assert.equal(got.rows[0]!.timestamp, 1700000000123456789n);
    assert.deepEqual(
      { ...got.rows[0]!.values, raw: [...(got.rows[0]!.values.raw as Uint8Array)] },
      {
        speed: 123.5,
        gear: 'D',
        raw: [0, 255],
      },
    );
    assert.deepEqual({ ...got.rows[0]!.tags }, { track: 'monza' });
    assert.equal(got.rows[1]!.timestamp, 1700000000200000000n);
    assert.deepEqual(got.events, ['pit=in@1700000000300000001']);
    assert.deepEqual(got.names, ['Lap 1']);
    assert.deepEqual(got.params, ['speed:km/h']);
    await consumer.close();
  });

  it('offers the same streams to for-await', async () => {
    const client = newClient();
    const producer = await client.getTopicProducer('iterated');
    const stream = producer.createStream();
    for (let i = 0; i < 3; i++)
      stream.timeseries.buffer
        .addTimestampMilliseconds(1000 + i)
        .addValue('i', i)
        .publish();
    await stream.close('Aborted');

    const consumer = await client.getTopicConsumer('iterated', 'it', { autoOffsetReset: 'earliest' });
    const items: StreamItem[] = [];
    for await (const item of consumer) {
      items.push(item);
      if (item.type === 'closed') break;
    }
    const values = items.flatMap((item) =>
      item.type === 'timeseries' ? item.data.rows.map((r) => r.values.i) : [],
    );
    assert.deepEqual(values, [0, 1, 2]);
    assert.equal(items.at(-1)?.type === 'closed' && items.at(-1)?.stream.id, stream.id);
    assert.equal((items.at(-1) as Extract<StreamItem, { type: 'closed' }>).endType, 'Aborted');
    await consumer.close();
  });

  it('moves plain bytes with the raw producer and consumer', async () => {
    const client = newClient();
    const producer = await client.getRawTopicProducer('raw');
    const consumer = await client.getRawTopicConsumer('raw', 'raw-readers', { autoOffsetReset: 'earliest' });
    const received: string[] = [];
    consumer.onMessageReceived((message) => {
      received.push(`${message.key}:${message.value?.toString()}:${message.headers.get('h')?.toString()}`);
    });
    await consumer.subscribe();
    for (let i = 0; i < 100; i++)
      void producer.publish({ key: `k${i % 4}`, value: Buffer.from(`v${i}`), headers: { h: 'x' } });
    await producer.flush();
    await eventually('100 raw messages', () => received.length === 100);
    assert.ok(received.includes('k3:v99:x'));
    await consumer.close();
  });

  it('loses nothing already published when closing, and commits what was handled', async () => {
    const client = newClient();
    const producer = await client.getTopicProducer('counted');
    const stream = producer.createStream('counted');
    stream.timeseries.buffer.packetSize = null;
    stream.timeseries.buffer.bufferTimeoutMs = null;
    const total = 20_000;
    for (let i = 0; i < total; i++)
      stream.timeseries.buffer
        .addTimestampNanoseconds(BigInt(i + 1))
        .addValue('i', i)
        .publish();
    assert.equal(stream.timeseries.buffer.size, total, 'everything is still buffered');
    await client.close();

    const reader = newClient();
    const consumer = await reader.getTopicConsumer('counted', 'counters', { autoOffsetReset: 'earliest' });
    const seen = new Set<number>();
    consumer.onStreamReceived((s) => {
      s.timeseries.onDataReceived((d) => {
        for (const r of d.rows) seen.add(r.values.i as number);
      });
    });
    await consumer.subscribe();
    await eventually('every published row', () => seen.size === total, 60_000);
    await consumer.close();

    // The group committed on close: a new member of it gets only what is newer.
    const writer = newClient();
    const more = (await writer.getTopicProducer('counted')).createStream('counted');
    more.timeseries.buffer
      .addTimestampNanoseconds(BigInt(total + 1))
      .addValue('i', total)
      .publish();
    await more.close();
    const again = await reader.getTopicConsumer('counted', 'counters', { autoOffsetReset: 'earliest' });
    const fresh: number[] = [];
    again.onStreamReceived((s) => {
      s.timeseries.onDataReceived((d) => {
        for (const r of d.rows) fresh.push(r.values.i as number);
      });
    });
    await again.subscribe();
    await eventually('the new row', () => fresh.length >= 1, 60_000);
    assert.deepEqual(fresh, [total]);
    await again.close();
  });

  it('App.run shuts a producer service down on SIGTERM without losing a row', async () => {
    const child = spawn(
      process.execPath,
      [new URL('../../test-support/app-producer.ts', import.meta.url).pathname],
      {
        env: {
          PATH: process.env.PATH,
          Quix__Sdk__Token: token,
          Quix__Portal__Api: stack.portalUrl,
          TOPIC: 'app-run',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (err += c));
    await eventually('the service to start', () => out.includes('ready'), 60_000);
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, err);
    const published = Number(/published (\d+)/.exec(out)?.[1]);
    assert.ok(published > 0);

    const client = newClient();
    const consumer = await client.getTopicConsumer('app-run', null, { autoOffsetReset: 'earliest' });
    let rows = 0;
    let ended = false;
    consumer.onStreamReceived((s) => {
      s.timeseries.onDataReceived((d) => {
        rows += d.length;
      });
      s.onStreamClosed(() => {
        ended = true;
      });
    });
    await consumer.subscribe();
    await eventually('the end of the stream', () => ended, 60_000);
    assert.equal(rows, published);
    await consumer.close();
  });

  it('answers bad input at once with a typed error that says what to fix', async () => {
    const client = newClient({ autoCreateTopics: false });
    await assert.rejects(
      client.getTopicProducer('does-not-exist'),
      (e: Error) => e instanceof TopicNotFoundError && /autoCreateTopics/.test(e.message),
    );
    const producer = await newClient().getTopicProducer('inputs');
    assert.throws(() => producer.createStream(''), InvalidArgumentError);
    assert.throws(() => producer.createStream('a\nb'), /control characters/);
    const stream = producer.createStream(randomUUID());
    assert.throws(
      () => stream.timeseries.buffer.addTimestamp(new Date()).addValue('x', {} as never),
      /number, a string or a Uint8Array/,
    );
    assert.throws(
      () => stream.events.addTimestamp(new Date()).addValue('e', 5 as never),
      /event values are strings/,
    );
    await stream.close();
    assert.throws(() => stream.timeseries.buffer.addTimestamp(new Date()), StreamClosedError);
    assert.throws(() => {
      stream.properties.name = 'late';
    }, StreamClosedError);
    const wrong = new QuixStreamingClient(`sgs_${'Z'.repeat(40)}`, { portalApi: stack.portalUrl, env: {} });
    await assert.rejects(
      wrong.getTopicProducer('inputs'),
      (e: Error) => e instanceof InvalidTokenError && (e as InvalidTokenError).status === 401,
    );
    await wrong.close();
  });
});
