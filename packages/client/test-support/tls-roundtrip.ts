// A service as deployed, for the TLS tests: configured only through its environment
// (Quix__Sdk__Token, an https Quix__Portal__Api, and NODE_EXTRA_CA_CERTS when it is to trust the
// portal's private CA). Produces COUNT rows to TOPIC and reads them back; prints one JSON line,
// {"produced", "consumed"} or {"error": {code, name, message}} (exit 1).
import { QuixStreamingClient } from '../src/index.ts';

const topic = process.env.TOPIC ?? 'tls-roundtrip';
const count = Number(process.env.COUNT ?? 20);
const client = new QuixStreamingClient();
const deadline = setTimeout(() => fail(new Error('timed out after 120 s')), 120_000);

function fail(error: unknown): never {
  const e = error as Error & { code?: string };
  process.stdout.write(
    `${JSON.stringify({ error: { code: e.code ?? null, name: e.name, message: e.message } })}\n`,
  );
  process.exit(1);
}

try {
  const seen: number[] = [];
  let done!: () => void;
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const consumer = await client.getTopicConsumer(topic, 'tls-readers', { autoOffsetReset: 'earliest' });
  consumer.onStreamReceived((stream) => {
    stream.timeseries.onDataReceived((data) => {
      for (const row of data.rows) seen.push(Number(row.values.i));
      if (seen.length >= count) done();
    });
  });
  await consumer.subscribe();

  const producer = await client.getTopicProducer(topic);
  const stream = producer.createStream('tls-stream');
  for (let i = 0; i < count; i++)
    stream.timeseries.buffer
      .addTimestampMilliseconds(1000 + i)
      .addValue('i', i)
      .publish();
  await stream.close();
  await all;
  clearTimeout(deadline);
  process.stdout.write(`${JSON.stringify({ produced: count, consumed: seen.sort((a, b) => a - b) })}\n`);
  await client.close();
  process.exit(0);
} catch (error) {
  fail(error);
}
