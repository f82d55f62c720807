// Reads what sequence-producer.ts (or sequence_producer.py) writes and checks it as it goes: per
// producer, how many messages arrived, the highest seq, and every gap (a seq that skipped ahead
// of the last one seen). Configured only through the environment, as a deployment is:
//   Quix__Sdk__Token, Quix__Portal__Api, Quix__Workspace__Id   (injected by the platform)
//   TOPIC           (optional) the topic to read, default "sequence"
//   CONSUMER_GROUP  (optional) the consumer group, default "sequence-readers" (gets the workspace prefix)
// Errors go to stderr. Every 5 s, and on SIGTERM after committing and leaving the group, it prints
// one JSON line {"event":"progress"|"stopped","received":N,"gaps":N,"producers":{...}}.
import { App, QuixStreamingClient } from '@streamgate/client';

const topicName = process.env.TOPIC ?? 'sequence';
const group = process.env.CONSUMER_GROUP ?? 'sequence-readers';
const consumerId = `${process.env.Quix__Deployment__ReplicaName ?? 'local'}/${process.pid}`;

interface Seen {
  count: number;
  first: number;
  last: number;
  gaps: number;
}
const producers = new Map<string, Seen>();
let received = 0;
let gaps = 0;
let malformed = 0;

const client = new QuixStreamingClient();
const consumer = await client.getRawTopicConsumer(topicName, group, { autoOffsetReset: 'earliest' });
consumer.on('error', (error) => console.error(`consumer error: ${error.message}`));

consumer.onMessageReceived((message) => {
  let body: { producer?: unknown; seq?: unknown };
  try {
    body = JSON.parse(message.value?.toString('utf8') ?? 'null') ?? {};
  } catch {
    body = {};
  }
  if (typeof body.producer !== 'string' || typeof body.seq !== 'number') {
    malformed++;
    return;
  }
  received++;
  const seen = producers.get(body.producer);
  if (!seen) {
    producers.set(body.producer, { count: 1, first: body.seq, last: body.seq, gaps: 0 });
    return;
  }
  seen.count++;
  // A redelivery after a rebalance repeats seqs (at least once); only a skip ahead is a gap.
  if (body.seq > seen.last + 1) {
    seen.gaps++;
    gaps++;
    console.error(`gap: ${body.producer} jumped from seq ${seen.last} to ${body.seq}`);
  }
  seen.last = Math.max(seen.last, body.seq);
});

const report = (event: string) =>
  console.log(
    JSON.stringify({
      event,
      consumer: consumerId,
      received,
      gaps,
      malformed,
      producers: Object.fromEntries(producers),
    }),
  );
const progress = setInterval(() => report('progress'), 5000);

console.log(JSON.stringify({ event: 'started', consumer: consumerId, topic: consumer.topic.id, group }));
try {
  // Subscribes; on SIGINT/SIGTERM commits what was handled and leaves the group.
  await App.run({ beforeShutdown: () => clearInterval(progress) });
  report('stopped');
} catch (error) {
  clearInterval(progress);
  console.error(`stopped on an error: ${(error as Error).message}`);
  report('failed');
  process.exitCode = 1;
}
