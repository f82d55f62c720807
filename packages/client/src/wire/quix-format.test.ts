import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { SerializationError } from '../errors.ts';
import { decodeQuixMessage, encodeQuixMessage } from './quix-format.ts';

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
