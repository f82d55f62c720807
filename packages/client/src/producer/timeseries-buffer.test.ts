import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError, StreamClosedError } from '../errors.ts';
import { decodeTimeseriesBody } from '../wire/timeseries-data.ts';
import type { StreamSink } from './stream-sink.ts';
import { TimeseriesBuffer } from './timeseries-buffer.ts';

function recordingSink() {
  const sent: string[] = [];
  let closed = false;
  const sink: StreamSink = {
    streamId: 's',
    send: async (_key, json) => {
      sent.push(json);
    },
    assertWritable: () => {
      if (closed) throw new StreamClosedError('s');
    },
  };
  return { sink, sent, close: () => (closed = true) };
}

const rowsIn = (json: string) => decodeTimeseriesBody(JSON.parse(json)).length;

describe('timeseries buffer triggers', () => {
  it('flushes when the packet size is reached', () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { packetSize: 3, bufferTimeoutMs: null });
    for (let i = 0; i < 7; i++) buffer.addTimestampNanoseconds(BigInt(i)).addValue('v', i).publish();
    assert.deepEqual(sent.map(rowsIn), [3, 3]);
    assert.equal(buffer.size, 1);
  });

  it('flushes when the data spans the time span', () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { packetSize: null, timeSpanMs: 10, bufferTimeoutMs: null });
    buffer.addTimestampMilliseconds(0).addValue('v', 1).publish();
    buffer.addTimestampMilliseconds(5).addValue('v', 1).publish();
    assert.equal(sent.length, 0);
    buffer.addTimestampMilliseconds(10).addValue('v', 1).publish();
    assert.deepEqual(sent.map(rowsIn), [3]);
  });

  it('flushes after the buffer timeout', async () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { packetSize: null, bufferTimeoutMs: 20 });
    buffer.addTimestamp(new Date()).addValue('v', 1).publish();
    assert.equal(sent.length, 0);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(sent.map(rowsIn), [1]);
  });

  it('flush() sends what is buffered and waits for it', async () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { packetSize: null, bufferTimeoutMs: null });
    buffer.addTimestamp(new Date()).addValue('v', 1).addTag('t', 'x').publish();
    await buffer.flush();
    assert.equal(sent.length, 1);
    await buffer.flush();
    assert.equal(sent.length, 1);
  });

  it('applies default tags under the row tags', async () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { bufferTimeoutMs: null });
    buffer.addDefaultTag('car', 'a').addDefaultTag('lap', '1');
    buffer.addTimestamp(new Date(0)).addValue('v', 1).addTag('lap', '2').publish();
    await buffer.flush();
    assert.deepEqual({ ...decodeTimeseriesBody(JSON.parse(sent[0]!)).rows[0]!.tags }, { lap: '2', car: 'a' });
  });

  it('splits a packet too large for one Kafka message', async () => {
    const { sink, sent } = recordingSink();
    const buffer = new TimeseriesBuffer(sink, { packetSize: null, bufferTimeoutMs: null });
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 20; i++) buffer.addTimestampNanoseconds(BigInt(i)).addValue('s', big).publish();
    await buffer.flush();
    assert.ok(sent.length > 1);
    assert.ok(sent.every((json) => json.length < 1_000_000));
    assert.equal(
      sent.map(rowsIn).reduce((a, b) => a + b),
      20,
    );
  });

  it('refuses bad trigger values and writes to a closed stream, immediately', () => {
    const { sink, close } = recordingSink();
    const buffer = new TimeseriesBuffer(sink);
    assert.throws(() => {
      buffer.packetSize = 0;
    }, InvalidArgumentError);
    const row = buffer.addTimestamp(new Date());
    row.addValue('v', 1).publish();
    assert.throws(() => row.publish(), /already published/);
    close();
    assert.throws(() => buffer.addTimestamp(new Date()), StreamClosedError);
  });
});
