// Byte-level compatibility with the official Python quixstreams package: what this client writes
// goes through quixstreams' QuixDeserializer, and what QuixTimeseriesSerializer /
// QuixEventsSerializer write goes through this client's reader, in both framings.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { decodeEventBody, encodeEvent, encodeEvents } from '../src/wire/event-data.ts';
import { parseJson } from '../src/wire/json.ts';
import { decodeQuixMessage, type EncodedMessage, encodeQuixMessage } from '../src/wire/quix-format.ts';
import {
  encodeEventDefinitions,
  encodeParameterDefinitions,
  encodeStreamEnd,
  encodeStreamProperties,
} from '../src/wire/stream-metadata.ts';
import { decodeTimeseriesBody, encodeTimeseriesRows, TimeseriesData } from '../src/wire/timeseries-data.ts';
import { jsonWithBigInts, runPython } from '../test-support/python.ts';
import { ensurePythonVenv } from '../test-support/python-venv.ts';

const toRequest = (m: EncodedMessage) =>
  JSON.stringify({ value: m.value.toString('base64'), headers: Object.entries(m.headers) });

describe('wire compatibility with quixstreams (bytes)', { timeout: 900_000 }, () => {
  before(async () => {
    await ensurePythonVenv();
  });

  it('quixstreams reads what this client writes', async () => {
    const data = new TimeseriesData();
    data
      .addTimestampNanoseconds(1700000000123456789n)
      .addValue('speed', 123.5)
      .addValue('gear', 'D')
      .addValue('raw', new Uint8Array([0, 255]))
      .addTag('track', 'monza');
    data.addTimestampNanoseconds(1700000000223456789n).addValue('speed', -4);
    const event = { id: 'pit', value: 'in', timestamp: 1700000000300000001n, tags: { lap: '1' } };
    const messages = [
      encodeQuixMessage('car-1', 'TimeseriesData', encodeTimeseriesRows(data.rows)),
      encodeQuixMessage('car-1', 'EventData', encodeEvent(event)),
      encodeQuixMessage(
        'car-1',
        'EventData[]',
        encodeEvents([event, { ...event, id: 'pit-out', value: 'out' }]),
      ),
      encodeQuixMessage(
        'car-1',
        'StreamProperties',
        encodeStreamProperties({
          name: 'n',
          location: null,
          metadata: {},
          parents: [],
          timeOfRecording: null,
        }),
      ),
      encodeQuixMessage('car-1', 'ParameterDefinitions', encodeParameterDefinitions([{ id: 'speed' }])),
      encodeQuixMessage('car-1', 'EventDefinitions', encodeEventDefinitions([{ id: 'pit' }])),
      encodeQuixMessage('car-1', 'StreamEnd', encodeStreamEnd('Closed')),
    ];
    const out = (
      await runPython('quix_wire.py', ['deserialize'], { input: messages.map(toRequest).join('\n') })
    )
      .trim()
      .split('\n')
      .map((line) => parseJson(line) as { rows?: Record<string, unknown>[]; ignored?: boolean });

    assert.deepEqual(out[0]!.rows, [
      {
        speed: 123.5,
        gear: 'D',
        raw: { $b64: 'AP8=' },
        Tags: { track: 'monza' },
        Timestamp: 1700000000123456789n,
      },
      { speed: -4, gear: null, raw: null, Tags: { track: null }, Timestamp: 1700000000223456789n },
    ]);
    assert.deepEqual(out[1]!.rows, [
      { Timestamp: 1700000000300000001n, Id: 'pit', Value: 'in', Tags: { lap: '1' } },
    ]);
    assert.deepEqual(
      out[2]!.rows!.map((r) => r.Id),
      ['pit', 'pit-out'],
    );
    // quixstreams skips the stream-level models without failing.
    assert.deepEqual(
      out.slice(3).map((o) => o.ignored),
      [true, true, true, true],
    );
  });

  it("quixstreams reads the headerless framing this client writes with framing: 'headerless'", async () => {
    const data = new TimeseriesData();
    data
      .addTimestampNanoseconds(1700000000123456789n)
      .addValue('speed', 2.5)
      .addValue('gear', 'Rückwärts')
      .addTag('track', 'monza');
    const event = { id: 'pit', value: 'in', timestamp: 1700000000300000001n, tags: { lap: '1' } };
    const messages = [
      encodeQuixMessage('car-1', 'TimeseriesData', encodeTimeseriesRows(data.rows), 'headerless'),
      encodeQuixMessage('car-1', 'EventData', encodeEvent(event), 'headerless'),
      encodeQuixMessage('car-1', 'StreamEnd', encodeStreamEnd('Closed'), 'headerless'),
    ];
    const out = (
      await runPython('quix_wire.py', ['deserialize'], { input: messages.map(toRequest).join('\n') })
    )
      .trim()
      .split('\n')
      .map((line) => parseJson(line) as { rows?: Record<string, unknown>[]; ignored?: boolean });

    assert.deepEqual(out[0]!.rows, [
      { speed: 2.5, gear: 'Rückwärts', Tags: { track: 'monza' }, Timestamp: 1700000000123456789n },
    ]);
    assert.deepEqual(out[1]!.rows, [
      { Timestamp: 1700000000300000001n, Id: 'pit', Value: 'in', Tags: { lap: '1' } },
    ]);
    assert.equal(out[2]!.ignored, true);
  });

  it('this client reads what quixstreams writes, with and without the legacy framing', async () => {
    const row = {
      speed: 1.5,
      gear: 'D',
      raw: { $b64: 'AP8=' },
      Tags: { track: 'monza' },
      Timestamp: 1700000000123456789n,
    };
    const event = { Id: 'pit', Value: 'in', Tags: { lap: '1' }, Timestamp: 1700000000300000001n };
    const requests = [
      { kind: 'timeseries', legacy: true, value: row },
      { kind: 'timeseries', legacy: false, value: row },
      { kind: 'events', legacy: true, value: event },
      { kind: 'events', legacy: false, value: event },
    ];
    const out = (
      await runPython('quix_wire.py', ['serialize'], { input: requests.map(jsonWithBigInts).join('\n') })
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { value: string; headers: [string, string][] });

    assert.deepEqual(out[0]!.headers, [], 'the legacy framing has no headers');
    assert.deepEqual(out[1]!.headers, [
      ['__Q_ModelKey', 'TimeseriesData'],
      ['__Q_CodecId', 'JT'],
    ]);
    for (const message of out.slice(0, 2)) {
      const decoded = decodeQuixMessage(Buffer.from(message.value, 'base64'), message.headers);
      assert.equal(decoded?.modelKey, 'TimeseriesData');
      const data = decodeTimeseriesBody(decoded!.body);
      assert.equal(data.length, 1);
      assert.equal(data.rows[0]!.timestamp, 1700000000123456789n);
      assert.equal(data.rows[0]!.values.speed, 1.5);
      assert.equal(data.rows[0]!.values.gear, 'D');
      assert.deepEqual([...(data.rows[0]!.values.raw as Uint8Array)], [0, 255]);
      assert.deepEqual({ ...data.rows[0]!.tags }, { track: 'monza' });
    }
    for (const message of out.slice(2)) {
      const decoded = decodeQuixMessage(Buffer.from(message.value, 'base64'), message.headers);
      assert.equal(decoded?.modelKey, 'EventData');
      const read = decodeEventBody(decoded!.body);
      assert.deepEqual(
        { ...read, tags: { ...read.tags } },
        { id: 'pit', value: 'in', timestamp: 1700000000300000001n, tags: { lap: '1' } },
      );
    }
  });
});
