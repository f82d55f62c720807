import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseJson, parseJsonExactMembers } from './json.ts';

const members = ['Timestamps', 'Epoch'] as const;

describe('parseJsonExactMembers', () => {
  it('keeps the named members exact, as parseJson does', () => {
    const text =
      '{"Timestamps":[1700000000123456789,1000000000,-1700000000123456789],"Epoch":9007199254740993,"NumericValues":{"v":[1,2,3]}}';
    assert.deepEqual(parseJsonExactMembers(text, members), parseJson(text));
  });

  it('reads the layout other writers use (whitespace, member order, nested and quoted look-alikes)', () => {
    const text = `{ "NumericValues" : { "Timestamps" : [ 1700000000000000001 ] },
      "StringValues": { "s": [ "\\"Timestamps\\":[1]", "]}{[" ] },
      "Timestamps" : [ 1700000000000000003 , 1700000000000000004 ] }`;
    const parsed = parseJsonExactMembers(text, members) as Record<string, unknown>;
    assert.deepEqual(parsed.Timestamps, [1700000000000000003n, 1700000000000000004n]);
    assert.deepEqual(parsed.StringValues, { s: ['"Timestamps":[1]', ']}{['] });
    // Outside the named members a long integer is a double (a timeseries value becomes one anyway).
    assert.equal(
      (parsed.NumericValues as { Timestamps: unknown[] }).Timestamps[0],
      Number(1700000000000000001n),
    );
  });

  it('falls back to parseJson when a member name is written with escapes', () => {
    const text = '{"Time\\u0073tamps":[1700000000123456789]}';
    assert.deepEqual(parseJsonExactMembers(text, members), { Timestamps: [1700000000123456789n] });
  });

  it('leaves numbers not written as integers, small integers and other shapes as JSON.parse does', () => {
    assert.deepEqual(parseJsonExactMembers('{"Timestamps":[1.7e18,5,null,"x"]}', members), {
      Timestamps: [1.7e18, 5, null, 'x'],
    });
    assert.deepEqual(parseJsonExactMembers('[1700000000123456789]', members), [Number(1700000000123456789n)]);
    assert.equal(parseJsonExactMembers('null', members), null);
  });

  it('agrees with parseJson on the timestamps of random bodies', () => {
    for (let n = 0; n < 200; n++) {
      const timestamps = Array.from({ length: 1 + (n % 7) }, (_, i) =>
        (BigInt(Math.floor(Math.random() * 2 ** 52)) * 1000n + BigInt(i)).toString(),
      );
      const space = n % 2 ? ' ' : '';
      const text = `{${space}"TagValues":{"t":["${'a'.repeat(n % 5)}"]},${space}"Timestamps":${space}[${timestamps.join(`,${space}`)}]${space}}`;
      assert.deepEqual(
        (parseJsonExactMembers(text, members) as { Timestamps: unknown }).Timestamps,
        (parseJson(text) as { Timestamps: unknown }).Timestamps,
      );
    }
  });
});
