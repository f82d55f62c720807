import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidArgumentError } from '../errors.ts';
import { parseJson } from './json.ts';
import { decodeTimeseriesBody, encodeTimeseriesRows, TimeseriesData } from './timeseries-data.ts';

describe('TimeseriesData', () => {
  it('encodes rows column-wise with nulls for absent values, binary as base64, exact nanoseconds', () => {
    const data = new TimeseriesData();
    data
      .addTimestampNanoseconds(1700000000123456789n)
      .addValue('speed', 1.5)
      .addValue('gear', 'D')
      .addTag('car', 'a');
    data
      .addTimestamp(new Date(1000))
      .addValue('speed', 2)
      .addValue('blob', new Uint8Array([1, 2, 3]));
    const json = encodeTimeseriesRows(data.rows);
    assert.equal(
      json,
      '{"Timestamps":[1700000000123456789,1000000000],"NumericValues":{"speed":[1.5,2]},"StringValues":{"gear":["D",null]},"BinaryValues":{"blob":[null,"AQID"]},"TagValues":{"car":["a",null]}}',
    );
  });

  it('reads back what it writes', () => {
    const data = new TimeseriesData();
    data
      .addTimestampNanoseconds(1700000000123456789n)
      .addValue('n', -0.25)
      .addValue('s', 'x')
      .addTag('t', 'v');
    data.addTimestampMilliseconds(5).addValue('b', Buffer.from('hi'));
    const back = decodeTimeseriesBody(parseJson(encodeTimeseriesRows(data.rows)));
    assert.equal(back.length, 2);
    assert.equal(back.rows[0]!.timestamp, 1700000000123456789n);
    assert.deepEqual({ ...back.rows[0]!.values }, { n: -0.25, s: 'x' });
    assert.deepEqual({ ...back.rows[0]!.tags }, { t: 'v' });
    assert.equal(back.rows[1]!.timestamp, 5_000_000n);
    assert.deepEqual(Buffer.from(back.rows[1]!.values.b as Uint8Array).toString(), 'hi');
  });

  it('adds Epoch to every timestamp (C# writers) and ignores nulls', () => {
    const back = decodeTimeseriesBody({ Epoch: 1000, Timestamps: [1, 2], NumericValues: { a: [null, 3] } });
    assert.deepEqual(
      back.rows.map((r) => r.timestamp),
      [1001n, 1002n],
    );
    assert.equal('a' in back.rows[0]!.values, false);
    assert.equal(back.rows[1]!.values.a, 3);
  });

  it('rejects bodies whose columns do not match the timestamps', () => {
    assert.throws(
      () => decodeTimeseriesBody({ Timestamps: [1], NumericValues: { a: [1, 2] } }),
      /array of 1 values/,
    );
    assert.throws(() => decodeTimeseriesBody({}), /Timestamps array/);
  });

  it('refuses bad values at once, saying what to do', () => {
    const row = new TimeseriesData().addTimestamp(new Date());
    assert.throws(
      () => row.addValue('x', Number.NaN),
      (e: Error) => e instanceof InvalidArgumentError && /NaN/.test(e.message),
    );
    assert.throws(() => row.addValue('x', true as never), /number, a string or a Uint8Array \(send 1\/0\)/);
    assert.throws(() => row.addValue('x', 5n as never), /Number\(\)/);
    assert.throws(() => row.addValue('x', undefined as never), /undefined/);
    assert.throws(() => row.addValue('', 1), /non-empty string/);
    assert.throws(() => row.addValue('Timestamp', 1), /reserves it/);
    assert.throws(() => row.addTag('t', 1 as never), /string value/);
    assert.throws(
      () => new TimeseriesData().addTimestamp(1700000000000 as never),
      /addTimestampMilliseconds/,
    );
    assert.throws(() => new TimeseriesData().addTimestamp(-1n), /negative/);
    assert.throws(() => new TimeseriesData().addTimestamp(new Date('nope')), /Invalid Date/);
  });

  it('treats null as an absent value', () => {
    const data = new TimeseriesData();
    data.addTimestamp(new Date(0)).addValue('x', null);
    assert.deepEqual({ ...data.rows[0]!.values }, {});
  });
});
