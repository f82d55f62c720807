import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SerializationError } from '../errors.ts';
import { decodeQuixMessage, encodeQuixMessage, type ModelKey } from './quix-format.ts';

const headers = (modelKey: string, codec = 'JT') =>
  new Map<string, Buffer>([
    ['__Q_ModelKey', Buffer.from(modelKey)],
    ['__Q_CodecId', Buffer.from(codec)],
  ]);

describe('Quix message envelope', () => {
  it('writes the stream id as key, the model key and the JT codec as headers', () => {
    const message = encodeQuixMessage('stream-1', 'EventData', '{"Id":"e"}');
    assert.equal(message.key, 'stream-1');
    assert.deepEqual(message.headers, { __Q_ModelKey: 'EventData', __Q_CodecId: 'JT' });
    assert.equal(message.value.toString(), '{"Id":"e"}');
  });

  it('reads what it writes', () => {
    const message = encodeQuixMessage('s', 'StreamEnd', '{"StreamEndType":0}');
    const decoded = decodeQuixMessage(message.value, Object.entries(message.headers));
    assert.deepEqual(decoded, { modelKey: 'StreamEnd', body: { StreamEndType: 0 } });
  });

  it('reads the headerless legacy framing that quixstreams writes by default, ParameterData included', () => {
    const body = '{"Timestamps":[1700000000000000001],"NumericValues":{"a":[1]}}';
    const start = '{"C":"JT","K":"ParameterData","V":';
    const framed = Buffer.from(`${start}${body},"S":${start.length},"E":${start.length + body.length}}`);
    const decoded = decodeQuixMessage(framed, undefined);
    assert.equal(decoded?.modelKey, 'TimeseriesData');
    assert.deepEqual(decoded?.body, { Timestamps: [1700000000000000001n], NumericValues: { a: [1] } });
  });

  describe('headerless framing (what quixstreams 0.5.x reads)', () => {
    it('writes no headers, and the codec, model key, body and its byte offsets in the value', () => {
      const body = '{"Name":"n","Location":null}';
      const message = encodeQuixMessage('stream-1', 'StreamProperties', body, 'headerless');
      assert.equal(message.key, 'stream-1');
      assert.deepEqual(message.headers, {});
      assert.equal(
        message.value.toString(),
        '{"C":"JT","K":"StreamProperties","V":{"Name":"n","Location":null},"S":37,"E":65}',
      );
    });

    it('writes timeseries as ParameterData and a lone event as a one-element EventData[]', () => {
      const rows = encodeQuixMessage('s', 'TimeseriesData', '{"Timestamps":[1]}', 'headerless');
      assert.match(rows.value.toString(), /^\{"C":"JT","K":"ParameterData","V":\{"Timestamps":\[1\]\},/);
      const event = encodeQuixMessage('s', 'EventData', '{"Id":"e","Value":"v"}', 'headerless');
      assert.match(
        event.value.toString(),
        /^\{"C":"JT","K":"EventData\[\]","V":\[\{"Id":"e","Value":"v"\}\],/,
      );
    });

    it('counts S and E in UTF-8 bytes, not characters', () => {
      const body = '{"Name":"Zürich → 東京 🏎"}';
      const message = encodeQuixMessage('s', 'StreamProperties', body, 'headerless');
      const { S, E } = JSON.parse(message.value.toString()) as { S: number; E: number };
      assert.equal(message.value.subarray(S, E).toString('utf8'), body);
      assert.equal(message.value.length, E + `,"S":${S},"E":${E}}`.length);
    });

    it('reads back every model it writes, a lone event as a list of one', () => {
      const bodies: Array<[ModelKey, string, ModelKey, unknown]> = [
        [
          'TimeseriesData',
          '{"Timestamps":[1700000000000000001],"NumericValues":{"a":[1.5]}}',
          'TimeseriesData',
          { Timestamps: [1700000000000000001n], NumericValues: { a: [1.5] } },
        ],
        ['EventData', '{"Id":"e","Timestamp":5}', 'EventData[]', [{ Id: 'e', Timestamp: 5 }]],
        ['EventData[]', '[{"Id":"e"},{"Id":"f"}]', 'EventData[]', [{ Id: 'e' }, { Id: 'f' }]],
        ['StreamProperties', '{"Name":"ü"}', 'StreamProperties', { Name: 'ü' }],
        ['StreamEnd', '{"StreamEndType":0}', 'StreamEnd', { StreamEndType: 0 }],
        ['ParameterDefinitions', '{"Parameters":[]}', 'ParameterDefinitions', { Parameters: [] }],
        ['EventDefinitions', '{"Events":[]}', 'EventDefinitions', { Events: [] }],
      ];
      for (const [modelKey, body, readAs, parsed] of bodies) {
        const message = encodeQuixMessage('s', modelKey, body, 'headerless');
        assert.deepEqual(decodeQuixMessage(message.value, Object.entries(message.headers)), {
          modelKey: readAs,
          body: parsed,
        });
      }
    });

    it('leaves the default framing as it was: headers, the body alone', () => {
      const message = encodeQuixMessage('s', 'TimeseriesData', '{"Timestamps":[]}');
      assert.deepEqual(message.headers, { __Q_ModelKey: 'TimeseriesData', __Q_CodecId: 'JT' });
      assert.equal(message.value.toString(), '{"Timestamps":[]}');
    });
  });

  it('reads gzipped bodies and the J codec', () => {
    const value = gzipSync(Buffer.from('{"Id":"e","Value":"v","Timestamp":5}'));
    const decoded = decodeQuixMessage(value, headers('EventData', '[GZIP]J'));
    assert.deepEqual(decoded?.body, { Id: 'e', Value: 'v', Timestamp: 5 });
  });

  it('skips model keys it does not know (newer producers)', () => {
    assert.equal(decodeQuixMessage(Buffer.from('{}'), headers('SomethingNew')), null);
  });

  it('rejects what is not a Quix message, saying why', () => {
    assert.throws(() => decodeQuixMessage(Buffer.from('{"a":1}'), new Map()), {
      name: 'SerializationError',
      message: /__Q_CodecId header is missing/,
    });
    assert.throws(
      () => decodeQuixMessage(Buffer.from('x'), headers('TimeseriesData', 'PB')),
      /Unsupported Quix codec 'PB'/,
    );
    assert.throws(() => decodeQuixMessage(Buffer.from('<split>'), undefined), SerializationError);
    const split = headers('TimeseriesData');
    split.set('__Q_SplitMessageId', Buffer.from('x'));
    assert.throws(() => decodeQuixMessage(Buffer.from('{}'), split), /splitting/);
    assert.throws(() => decodeQuixMessage(Buffer.from('{oops'), headers('EventData')), /Invalid JSON/);
  });
});
