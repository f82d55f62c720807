// TimeseriesData: rows of (timestamp, parameter values, tags), and its Quix JSON body
// {"Timestamps":[ns],"NumericValues":{p:[..]},"StringValues":{..},"BinaryValues":{p:[base64]},"TagValues":{t:[..]}}.
import { InvalidArgumentError, SerializationError } from '../errors.ts';
import { toBigInt } from './json.ts';
import { nanosecondsFromMilliseconds, type TimestampInput, toNanoseconds } from './timestamps.ts';

export type ParameterValue = number | string | Uint8Array;

export interface TimeseriesRow {
  /** Nanoseconds since the Unix epoch. */
  timestamp: bigint;
  /** Parameter values by parameter id (a null-prototype object). */
  values: Record<string, ParameterValue>;
  /** Tags by tag id (a null-prototype object). */
  tags: Record<string, string>;
}

/** Names the Python reader reserves in a row: a parameter of that name would be lost there. */
const reservedNames = new Set(['Timestamp', 'Tags']);

export function checkParameterId(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError(`A parameter id must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (reservedNames.has(name)) {
    throw new InvalidArgumentError(
      `'${name}' cannot be a parameter id: the Quix format reserves it (quixstreams readers would drop it); rename the parameter`,
    );
  }
}

export function checkParameterValue(name: string, value: unknown): asserts value is ParameterValue | null {
  if (value === null || typeof value === 'string' || value instanceof Uint8Array) return;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return;
    throw new InvalidArgumentError(
      `The value of '${name}' is ${value}: JSON cannot carry NaN or Infinity; leave the value out instead`,
    );
  }
  const hint =
    typeof value === 'bigint'
      ? ' (convert it with Number())'
      : typeof value === 'boolean'
        ? ' (send 1/0)'
        : '';
  throw new InvalidArgumentError(
    `The value of '${name}' is a ${value === undefined ? 'undefined' : typeof value}; a value must be a number, a string or a Uint8Array${hint}`,
  );
}

export function checkTag(key: unknown, value: unknown): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new InvalidArgumentError(`A tag id must be a non-empty string, got ${JSON.stringify(key)}`);
  }
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(`The tag '${key}' must have a string value, got ${typeof value}`);
  }
}

export function newRow(timestamp: bigint): TimeseriesRow {
  return { timestamp, values: Object.create(null), tags: Object.create(null) };
}

/** Adds values and tags to one row, checking each as it comes. */
export class TimeseriesRowWriter {
  protected readonly row: TimeseriesRow;

  constructor(row: TimeseriesRow) {
    this.row = row;
  }

  addValue(parameterId: string, value: ParameterValue | null): this {
    checkParameterId(parameterId);
    checkParameterValue(parameterId, value);
    if (value !== null) this.row.values[parameterId] = value;
    return this;
  }

  addValues(values: Record<string, ParameterValue | null>): this {
    for (const [name, value] of Object.entries(values)) this.addValue(name, value);
    return this;
  }

  addTag(tagId: string, value: string): this {
    checkTag(tagId, value);
    this.row.tags[tagId] = value;
    return this;
  }

  addTags(tags: Record<string, string>): this {
    for (const [key, value] of Object.entries(tags)) this.addTag(key, value);
    return this;
  }
}

export class TimeseriesData {
  readonly rows: TimeseriesRow[];

  constructor(rows: TimeseriesRow[] = []) {
    this.rows = rows;
  }

  get length(): number {
    return this.rows.length;
  }

  addTimestamp(timestamp: TimestampInput): TimeseriesRowWriter {
    return this.addTimestampNanoseconds(toNanoseconds(timestamp));
  }

  addTimestampMilliseconds(ms: number): TimeseriesRowWriter {
    return this.addTimestampNanoseconds(nanosecondsFromMilliseconds(ms));
  }

  addTimestampNanoseconds(ns: bigint): TimeseriesRowWriter {
    const row = newRow(toNanoseconds(ns));
    this.rows.push(row);
    return new TimeseriesRowWriter(row);
  }
}

type Column<T> = Array<T | null>;

function column<T>(columns: Map<string, Column<T>>, name: string, size: number): Column<T> {
  let values = columns.get(name);
  if (!values) {
    values = new Array<T | null>(size).fill(null);
    columns.set(name, values);
  }
  return values;
}

function jsonObject<T>(columns: Map<string, Column<T>>, map?: (value: T) => unknown): string {
  let out = '{';
  let first = true;
  for (const [name, values] of columns) {
    out += `${first ? '' : ','}${JSON.stringify(name)}:${JSON.stringify(map ? values.map((v) => (v === null ? null : map(v))) : values)}`;
    first = false;
  }
  return `${out}}`;
}

/** The Quix JSON body of these rows (column-wise, absent values as null). */
export function encodeTimeseriesRows(rows: readonly TimeseriesRow[]): string {
  const size = rows.length;
  const numeric = new Map<string, Column<number>>();
  const strings = new Map<string, Column<string>>();
  const binary = new Map<string, Column<Uint8Array>>();
  const tags = new Map<string, Column<string>>();
  const timestamps = new Array<string>(size);
  for (let i = 0; i < size; i++) {
    const row = rows[i]!;
    timestamps[i] = row.timestamp.toString();
    for (const name in row.values) {
      const value = row.values[name]!;
      if (typeof value === 'number') column(numeric, name, size)[i] = value;
      else if (typeof value === 'string') column(strings, name, size)[i] = value;
      else column(binary, name, size)[i] = value;
    }
    for (const name in row.tags) column(tags, name, size)[i] = row.tags[name]!;
  }
  return (
    `{"Timestamps":[${timestamps.join(',')}]` +
    `,"NumericValues":${jsonObject(numeric)}` +
    `,"StringValues":${jsonObject(strings)}` +
    `,"BinaryValues":${jsonObject(binary, (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'))}` +
    `,"TagValues":${jsonObject(tags)}}`
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function eachColumn(
  body: Record<string, unknown>,
  field: string,
  size: number,
  apply: (name: string, values: unknown[]) => void,
): void {
  const columns = body[field];
  if (columns === undefined || columns === null) return;
  if (!isRecord(columns)) throw new SerializationError(`TimeseriesData.${field} must be an object`);
  for (const [name, values] of Object.entries(columns)) {
    if (!Array.isArray(values) || values.length !== size) {
      throw new SerializationError(`TimeseriesData.${field}.${name} must be an array of ${size} values`);
    }
    apply(name, values);
  }
}

/** Rows from a Quix TimeseriesData body (Epoch, when present, is added to every timestamp). */
export function decodeTimeseriesBody(body: unknown): TimeseriesData {
  if (!isRecord(body) || !Array.isArray(body.Timestamps)) {
    throw new SerializationError('TimeseriesData must be an object with a Timestamps array');
  }
  const epoch = body.Epoch === undefined || body.Epoch === null ? 0n : toBigInt(body.Epoch);
  if (epoch === null) throw new SerializationError('TimeseriesData.Epoch must be an integer');
  const size = body.Timestamps.length;
  const rows = new Array<TimeseriesRow>(size);
  for (let i = 0; i < size; i++) {
    const ts = toBigInt(body.Timestamps[i]);
    if (ts === null) throw new SerializationError(`TimeseriesData.Timestamps[${i}] is not an integer`);
    rows[i] = newRow(ts + epoch);
  }
  eachColumn(body, 'NumericValues', size, (name, values) => {
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v === 'number') rows[i]!.values[name] = v;
      else if (typeof v === 'bigint') rows[i]!.values[name] = Number(v);
    }
  });
  eachColumn(body, 'StringValues', size, (name, values) => {
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v === 'string') rows[i]!.values[name] = v;
    }
  });
  eachColumn(body, 'BinaryValues', size, (name, values) => {
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v === 'string') rows[i]!.values[name] = Buffer.from(v, 'base64');
    }
  });
  eachColumn(body, 'TagValues', size, (name, values) => {
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v === 'string') rows[i]!.tags[name] = v;
    }
  });
  return new TimeseriesData(rows);
}
