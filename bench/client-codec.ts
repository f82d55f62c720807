// Micro-benchmarks (not tests, no broker) behind the "where the time goes" notes of the client
// section of bench/RESULTS.md. Each pair runs interleaved in one process, so the ratio holds even
// when the machine is loaded:
//
//   node bench/client-codec.ts [--rounds 5]
//
// 1. producer: @platformatic/kafka's record-batch encoding (a DynamicBuffer of about eight small
//    Buffers per record, concatenated for the CRC and again for the socket) against a sketch of
//    the upstream change: the same records written into one Buffer sized first. The bytes are
//    checked to be identical.
// 2. consumer: @platformatic/kafka reading a record batch of 1 MB and of 16 MB from a response held
//    as 64 KiB socket chunks (each read looks for its chunk from the first one) against the same
//    bytes in one Buffer.
// 3. consume loop: a for-await over the message stream against a loop that races each next()
//    with a never-settled "interrupted" promise (what consume-loop.ts does, uncommitted, today).
// 4. TopicConsumer: decoding 1,000-row TimeseriesData messages with a JSON.parse reviver for
//    every value (before) against the current decodeQuixMessage (plain JSON.parse, timestamps
//    re-read from the source).
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { crc32c, createRecordsBatch, Reader, readRecordsBatch, Writer } from '@platformatic/kafka';
import { parseJson } from '../packages/client/src/wire/json.ts';
import { decodeQuixMessage, encodeQuixMessage } from '../packages/client/src/wire/quix-format.ts';
import {
  decodeTimeseriesBody,
  encodeTimeseriesRows,
  newRow,
  type TimeseriesRow,
} from '../packages/client/src/wire/timeseries-data.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

async function timeAsync(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const results = new Map<string, number[]>();
function note(name: string, perItemUs: number): void {
  results.set(name, [...(results.get(name) ?? []), perItemUs]);
}

// 1. Producer encoding -------------------------------------------------------------------------
const payload = Buffer.alloc(100, 'x');
const keys = Array.from({ length: 10 }, (_, i) => Buffer.from(`stream-${i}`));
const BATCH = 3000;
const PRODUCED = 300_000;
type Record_ = { topic: string; key: Buffer; value: Buffer; headers: Map<Buffer, Buffer>; timestamp: bigint };
function records(offset: number, timestamp: bigint): Record_[] {
  const batch: Record_[] = [];
  for (let i = 0; i < BATCH; i++)
    batch.push({ topic: 't', key: keys[(offset + i) % 10]!, value: payload, headers: new Map(), timestamp });
  return batch;
}

function zigzagSize(value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (v >= 0x80) {
    v >>>= 7;
    size++;
  }
  return size;
}

function writeZigzag(buffer: Buffer, offset: number, value: number): number {
  let v = ((value << 1) ^ (value >> 31)) >>> 0;
  while (v >= 0x80) {
    buffer[offset++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buffer[offset++] = v;
  return offset;
}

/** The record batch v2 of createRecordsBatch (no compression, no headers, one timestamp), in one Buffer. */
function oneBufferBatch(messages: Record_[]): Buffer {
  const count = messages.length;
  const lengths = new Array<number>(count);
  let size = 61;
  for (let i = 0; i < count; i++) {
    const { key, value } = messages[i]!;
    const body =
      2 + zigzagSize(i) + zigzagSize(key.length) + key.length + zigzagSize(value.length) + value.length + 1;
    lengths[i] = body;
    size += zigzagSize(body) + body;
  }
  const out = Buffer.allocUnsafe(size);
  const timestamp = messages[0]!.timestamp;
  out.writeBigInt64BE(0n, 0);
  out.writeInt32BE(size - 12, 8);
  out.writeInt32BE(0, 12);
  out[16] = 2;
  out.writeInt16BE(0, 21);
  out.writeInt32BE(count - 1, 23);
  out.writeBigInt64BE(timestamp, 27);
  out.writeBigInt64BE(timestamp, 35);
  out.writeBigInt64BE(-1n, 43);
  out.writeInt16BE(0, 51);
  out.writeInt32BE(0, 53);
  out.writeInt32BE(count, 57);
  let o = 61;
  for (let i = 0; i < count; i++) {
    const { key, value } = messages[i]!;
    o = writeZigzag(out, o, lengths[i]!);
    out[o++] = 0; // attributes
    out[o++] = 0; // timestamp delta
    o = writeZigzag(out, o, i);
    o = writeZigzag(out, o, key.length);
    o += key.copy(out, o);
    o = writeZigzag(out, o, value.length);
    o += value.copy(out, o);
    out[o++] = 0; // no headers
  }
  out.writeUInt32BE(crc32c(out.subarray(21)), 17);
  return out;
}

{
  const sample = records(0, 1_700_000_000_000n);
  const theirs = createRecordsBatch(records(0, 1_700_000_000_000n)).buffer;
  if (!theirs.equals(oneBufferBatch(sample))) throw new Error('the one-buffer encoder writes other bytes');
}

// 2. Consumer parsing ---------------------------------------------------------------------------
// A fetch response of 1 MB and one of 16 MB (a consumer catching up: @platformatic/kafka asks for
// up to 50 MB per fetch by default), each as one record batch.
function fetchedBatch(megabytes: number): { whole: Buffer; chunks: Buffer[]; records: number } {
  const batch: Record_[] = [];
  const count = Math.round((megabytes * 1_048_576) / 118);
  while (batch.length < count) batch.push(...records(batch.length, 1_700_000_000_000n));
  const whole = createRecordsBatch(batch.slice(0, count)).buffer;
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; at += 65_536) chunks.push(whole.subarray(at, at + 65_536));
  return { whole, chunks, records: count };
}
const fetches = [fetchedBatch(1), fetchedBatch(16)];
function chunked(chunks: Buffer[]): Writer {
  const writer = Writer.create();
  for (const chunk of chunks) writer.append(chunk);
  return writer;
}

// 3. Consume loop step --------------------------------------------------------------------------
const STREAMED = 300_000;
function messageStream(): Readable {
  let sent = 0;
  return new Readable({
    objectMode: true,
    highWaterMark: 1024,
    read() {
      for (let i = 0; i < 500 && sent < STREAMED; i++) this.push({ offset: sent++ });
      if (sent >= STREAMED) this.push(null);
    },
  });
}

// 4. TimeseriesData decoding --------------------------------------------------------------------
const base = BigInt(Date.now()) * 1_000_000n;
const quixMessages = Array.from({ length: 50 }, (_, m) => {
  const rows: TimeseriesRow[] = [];
  for (let i = 0; i < 1000; i++) {
    const row = newRow(base + BigInt(m * 1000 + i));
    row.values.value = m * 1000 + i;
    rows.push(row);
  }
  const encoded = encodeQuixMessage('bench', 'TimeseriesData', encodeTimeseriesRows(rows));
  const headers = new Map(Object.entries(encoded.headers).map(([k, v]) => [k, Buffer.from(v)]));
  return { value: encoded.value, headers };
});
const DECODED_ROWS = quixMessages.length * 1000;

for (let round = 0; round <= ROUNDS; round++) {
  const record = round > 0 ? note : () => {};
  const timestamp = BigInt(Date.now());
  record(
    'producer: createRecordsBatch (@platformatic/kafka 2.12.1)',
    (time(() => {
      for (let s = 0; s < PRODUCED; s += BATCH) createRecordsBatch(records(s, timestamp)).buffer;
    }) *
      1000) /
      PRODUCED,
  );
  record(
    'producer: one-buffer encoder (upstream sketch)',
    (time(() => {
      for (let s = 0; s < PRODUCED; s += BATCH) oneBufferBatch(records(s, timestamp));
    }) *
      1000) /
      PRODUCED,
  );
  for (const fetched of fetches) {
    const size = `${Math.round(fetched.whole.length / 1_048_576)} MB`;
    record(
      `consumer: readRecordsBatch, ${size} response in 64 KiB chunks`,
      (time(() => readRecordsBatch(Reader.from(chunked(fetched.chunks)))) * 1000) / fetched.records,
    );
    record(
      `consumer: readRecordsBatch, ${size} response in one Buffer`,
      (time(() => readRecordsBatch(Reader.from(fetched.whole))) * 1000) / fetched.records,
    );
  }
  record(
    'consume loop: for await',
    ((await timeAsync(async () => {
      for await (const _message of messageStream());
    })) *
      1000) /
      STREAMED,
  );
  record(
    'consume loop: Promise.race([next, interrupted]) per message',
    ((await timeAsync(async () => {
      const messages = messageStream()[Symbol.asyncIterator]();
      const interrupted = new Promise<{ interrupted: Error }>(() => {});
      while (true) {
        const next = messages.next();
        next.catch(() => {});
        const step = await Promise.race([next, interrupted]);
        if ('interrupted' in step || step.done) break;
      }
    })) *
      1000) /
      STREAMED,
  );
  record(
    'TopicConsumer decoding: JSON.parse reviver on every value (before)',
    (time(() => {
      for (const m of quixMessages) decodeTimeseriesBody(parseJson(m.value.toString('utf8')));
    }) *
      1000) /
      DECODED_ROWS,
  );
  record(
    'TopicConsumer decoding: decodeQuixMessage (now)',
    (time(() => {
      for (const m of quixMessages) decodeTimeseriesBody(decodeQuixMessage(m.value, m.headers)!.body);
    }) *
      1000) /
      DECODED_ROWS,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`| measurement (${ROUNDS} rounds) | µs per message or row, median | range |`);
console.log('| --- | ---: | ---: |');
for (const [name, runs] of results) {
  console.log(
    `| ${name} | ${median(runs).toFixed(2)} | ${Math.min(...runs).toFixed(2)}–${Math.max(...runs).toFixed(2)} |`,
  );
}
