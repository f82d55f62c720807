import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEventDefinitions,
  decodeParameterDefinitions,
  decodeStreamEnd,
  decodeStreamProperties,
  encodeEventDefinitions,
  encodeParameterDefinitions,
  encodeStreamEnd,
  encodeStreamProperties,
} from './stream-metadata.ts';

describe('stream models', () => {
  it('StreamProperties round-trips with the C# field names', () => {
    const json = encodeStreamProperties({
      name: 'Lap 1',
      location: '/cars/a',
      metadata: { driver: 'x' },
      parents: ['p1'],
      timeOfRecording: new Date('2024-01-01T00:00:00.000Z'),
    });
    assert.deepEqual(JSON.parse(json), {
      Name: 'Lap 1',
      Location: '/cars/a',
      Metadata: { driver: 'x' },
      Parents: ['p1'],
      TimeOfRecording: '2024-01-01T00:00:00.000Z',
    });
    const back = decodeStreamProperties(JSON.parse(json));
    assert.equal(back.name, 'Lap 1');
    assert.deepEqual(back.parents, ['p1']);
    assert.equal(back.timeOfRecording?.toISOString(), '2024-01-01T00:00:00.000Z');
  });

  it('StreamEnd carries the numeric end type', () => {
    assert.equal(encodeStreamEnd('Aborted'), '{"StreamEndType":1}');
    assert.equal(decodeStreamEnd({ StreamEndType: 2 }), 'Terminated');
    assert.equal(decodeStreamEnd({}), 'Closed');
  });

  it('definitions round-trip, and grouped C# definitions are flattened with their location', () => {
    const params = decodeParameterDefinitions(
      JSON.parse(encodeParameterDefinitions([{ id: 'speed', unit: 'km/h', minimumValue: 0 }])),
    );
    assert.deepEqual(params, [{ id: 'speed', name: 'speed', unit: 'km/h', minimumValue: 0, location: '/' }]);
    const grouped = decodeParameterDefinitions({
      Parameters: [],
      ParameterGroups: [
        {
          Name: 'car',
          Parameters: [{ Id: 'rpm' }],
          ChildGroups: [{ Name: 'engine', Parameters: [{ Id: 't' }] }],
        },
      ],
    });
    assert.deepEqual(
      grouped.map((p) => [p.id, p.location]),
      [
        ['rpm', '/car'],
        ['t', '/car/engine'],
      ],
    );
    const events = decodeEventDefinitions(
      JSON.parse(encodeEventDefinitions([{ id: 'door', level: 'Warning' }])),
    );
    assert.equal(events[0]!.level, 'Warning');
  });
});
