// The producer's timeseries buffer: rows collect here and leave as one TimeseriesData message when
// a trigger fires (packet size, data time span, wall-clock timeout) or on flush().
import { InvalidArgumentError } from '../errors.ts';
import {
  checkTag,
  encodeTimeseriesRows,
  newRow,
  type TimeseriesData,
  type TimeseriesRow,
  TimeseriesRowWriter,
} from '../wire/timeseries-data.ts';
import { nanosecondsFromMilliseconds, type TimestampInput, toNanoseconds } from '../wire/timestamps.ts';
import type { StreamSink } from './stream-sink.ts';

export interface TimeseriesBufferOptions {
  /** Flush when this many timestamps are buffered (default 1000; null = no limit). */
  packetSize?: number | null;
  /** Flush when the buffered data spans this many milliseconds of data time (default null = off). */
  timeSpanMs?: number | null;
  /** Flush this long after the first row entered an empty buffer (default 50 ms; null = off). */
  bufferTimeoutMs?: number | null;
}

/** A JSON body above this is split in two so that one message stays well under Kafka's 1 MB. */
const MAX_BODY_BYTES = 900_000;

function checkTrigger(name: string, value: number | null): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number or null, got ${value}`);
  }
  return value;
}

/** A row on its way into the buffer: add values and tags, then publish(). */
export class TimeseriesBufferRow extends TimeseriesRowWriter {
  #buffer: TimeseriesBuffer;
  #published = false;

  constructor(buffer: TimeseriesBuffer, row: TimeseriesRow) {
    super(row);
    this.#buffer = buffer;
  }

  /** Puts the row into the buffer (the buffer decides when it is sent). */
  publish(): void {
    if (this.#published)
      throw new InvalidArgumentError('This row was already published: start a new one with addTimestamp()');
    this.#published = true;
    this.#buffer.addRows([this.row]);
  }
}

export class TimeseriesBuffer {
  #sink: StreamSink;
  #rows: TimeseriesRow[] = [];
  #packetSize: number | null;
  #timeSpanNs: bigint | null;
  #timeSpanMs: number | null;
  #bufferTimeoutMs: number | null;
  #timer: NodeJS.Timeout | null = null;
  #minTs = 0n;
  #maxTs = 0n;
  #pendingDeliveries = new Set<Promise<void>>();
  /** Tags added to every row that does not set them itself. */
  readonly defaultTags: Record<string, string> = Object.create(null);

  constructor(sink: StreamSink, options: TimeseriesBufferOptions = {}) {
    this.#sink = sink;
    this.#packetSize = checkTrigger(
      'packetSize',
      options.packetSize === undefined ? 1000 : options.packetSize,
    );
    this.#timeSpanMs = checkTrigger('timeSpanMs', options.timeSpanMs ?? null);
    this.#timeSpanNs = this.#timeSpanMs === null ? null : BigInt(Math.round(this.#timeSpanMs * 1e6));
    this.#bufferTimeoutMs = checkTrigger(
      'bufferTimeoutMs',
      options.bufferTimeoutMs === undefined ? 50 : options.bufferTimeoutMs,
    );
  }

  get packetSize(): number | null {
    return this.#packetSize;
  }
  set packetSize(value: number | null) {
    this.#packetSize = checkTrigger('packetSize', value);
  }
  get timeSpanMs(): number | null {
    return this.#timeSpanMs;
  }
  set timeSpanMs(value: number | null) {
    this.#timeSpanMs = checkTrigger('timeSpanMs', value);
    this.#timeSpanNs = value === null ? null : BigInt(Math.round(value * 1e6));
  }
  get bufferTimeoutMs(): number | null {
    return this.#bufferTimeoutMs;
  }
  set bufferTimeoutMs(value: number | null) {
    this.#bufferTimeoutMs = checkTrigger('bufferTimeoutMs', value);
  }

  /** Rows waiting in the buffer. */
  get size(): number {
    return this.#rows.length;
  }

  addTimestamp(timestamp: TimestampInput): TimeseriesBufferRow {
    return this.addTimestampNanoseconds(toNanoseconds(timestamp));
  }

  addTimestampMilliseconds(ms: number): TimeseriesBufferRow {
    return this.addTimestampNanoseconds(nanosecondsFromMilliseconds(ms));
  }

  addTimestampNanoseconds(ns: bigint): TimeseriesBufferRow {
    this.#sink.assertWritable();
    return new TimeseriesBufferRow(this, newRow(toNanoseconds(ns)));
  }

  addDefaultTag(key: string, value: string): this {
    checkTag(key, value);
    this.defaultTags[key] = value;
    return this;
  }

  /** Adds every row of `data` to the buffer. */
  publish(data: TimeseriesData): void {
    this.addRows(data.rows);
  }

  /** @internal */
  addRows(rows: readonly TimeseriesRow[]): void {
    this.#sink.assertWritable();
    for (const row of rows) {
      for (const key in this.defaultTags) if (!(key in row.tags)) row.tags[key] = this.defaultTags[key]!;
      if (this.#rows.length === 0) {
        this.#minTs = row.timestamp;
        this.#maxTs = row.timestamp;
        if (this.#bufferTimeoutMs !== null) {
          this.#timer = setTimeout(() => this.#flushFromTrigger(), this.#bufferTimeoutMs);
        }
      } else {
        if (row.timestamp < this.#minTs) this.#minTs = row.timestamp;
        if (row.timestamp > this.#maxTs) this.#maxTs = row.timestamp;
      }
      this.#rows.push(row);
      if (
        (this.#packetSize !== null && this.#rows.length >= this.#packetSize) ||
        (this.#timeSpanNs !== null && this.#maxTs - this.#minTs >= this.#timeSpanNs)
      ) {
        this.#flushFromTrigger();
      }
    }
  }

  #flushFromTrigger(): void {
    // Delivery failures surface through the topic producer's 'error' and the next flush().
    this.#send();
  }

  /** @internal Queues the buffered rows now (so that a message published after them follows them). */
  sendBuffered(): void {
    if (this.#rows.length > 0) this.#send();
  }

  /** Sends what is buffered now; the promise settles when Kafka has it. */
  #send(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#rows.length === 0) return Promise.resolve();
    const rows = this.#rows;
    this.#rows = [];
    const deliveries = this.#encode(rows).map((json) => this.#sink.send('TimeseriesData', json));
    const delivery = Promise.all(deliveries).then(() => undefined);
    this.#pendingDeliveries.add(delivery);
    delivery.then(
      () => this.#pendingDeliveries.delete(delivery),
      () => this.#pendingDeliveries.delete(delivery),
    );
    return delivery;
  }

  #encode(rows: TimeseriesRow[]): string[] {
    const json = encodeTimeseriesRows(rows);
    if (json.length <= MAX_BODY_BYTES || rows.length === 1) return [json];
    const half = Math.ceil(rows.length / 2);
    return [...this.#encode(rows.slice(0, half)), ...this.#encode(rows.slice(half))];
  }

  /** Sends the buffered rows and waits until Kafka has every row this buffer sent. */
  async flush(): Promise<void> {
    this.#send();
    await Promise.all([...this.#pendingDeliveries]);
  }
}
