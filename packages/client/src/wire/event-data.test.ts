import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEventBody, decodeEventListBody, encodeEvent, encodeEvents } from './event-data.ts';
import { parseJson } from './json.ts';

describe('EventData', () => {
  const event = { id: 'door', value: 'open', timestamp: 1700000000123456789n, tags: { car: 'a' } };

  it('writes the Quix shape with an exact nanosecond timestamp', () => {
    assert.equal(
      encodeEvent(event),
      '{"Id":"door","Value":"open","Tags":{"car":"a"},"Timestamp":1700000000123456789}',
    );
  });

  it('reads back one event and a list', () => {
    const one = decodeEventBody(parseJson(encodeEvent(event)));
    assert.deepEqual({ ...one, tags: { ...one.tags } }, event);
    const list = decodeEventListBody(parseJson(encodeEvents([event, { ...event, id: 'x' }])));
    assert.deepEqual(
      list.map((e) => e.id),
      ['door', 'x'],
    );
  });

  it('adds Epoch when present and rejects a missing timestamp', () => {
    assert.equal(decodeEventBody({ Id: 'a', Value: 'b', Timestamp: 1, Epoch: 10 }).timestamp, 11n);
    assert.throws(() => decodeEventBody({ Id: 'a' }), /Timestamp must be an integer/);
  });
});
