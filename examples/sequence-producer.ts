// A producer service that makes lost or failed messages visible: it sends {producer, seq, at}
// with seq = 0, 1, 2 ... at a steady rate, so a reader can tell a gap from a pause. Configured
// only through the environment, as a deployment is:
//   Quix__Sdk__Token, Quix__Portal__Api, Quix__Workspace__Id   (injected by the platform)
//   Quix__Deployment__ReplicaName                               (optional) names this producer
//   TOPIC        (optional) the topic to write, default "sequence" (created when missing)
//   INTERVAL_MS  (optional) one message every this many ms, default 50
// Every delivery failure goes to stderr as "delivery failed: seq N: ...". On SIGTERM or SIGINT it
// stops sending, waits for what is in flight, closes, prints one JSON line
// {"event":"stopped","lastAcked":N,...} and exits 0.
import { QuixStreamingClient } from '@streamgate/client';

const topicName = process.env.TOPIC ?? 'sequence';
const intervalMs = Number(process.env.INTERVAL_MS ?? 50);
// The replica name says which deployment replica; the pid tells its instances apart (a rolling
// move runs an old and a new instance of the same replica side by side).
const producerId = `${process.env.Quix__Deployment__ReplicaName ?? 'local'}/${process.pid}`;

const say = (event: string, fields: Record<string, unknown> = {}) =>
  console.log(JSON.stringify({ event, producer: producerId, ...fields }));

const client = new QuixStreamingClient();
client.on('error', (error) => console.error(`client error: ${error.message}`));
const producer = await client.getRawTopicProducer(topicName);
producer.on('error', () => {}); // each failure is reported once, by its own publish() below

let next = 0;
let acked = 0;
let failed = 0;
let lastAcked = -1;
let announced = false;
const inFlight = new Set<Promise<void>>();

const send = () => {
  const seq = next++;
  let delivery: Promise<void>;
  try {
    delivery = producer.publish({
      key: producerId,
      value: JSON.stringify({ producer: producerId, seq, at: Date.now() }),
    });
  } catch (error) {
    delivery = Promise.reject(error);
  }
  const tracked = delivery.then(
    () => {
      acked++;
      lastAcked = Math.max(lastAcked, seq);
      if (!announced) {
        announced = true;
        say('producing', { topic: producer.topic.id, intervalMs });
      }
    },
    (error: Error) => {
      failed++;
      console.error(`delivery failed: seq ${seq}: ${error.message}`);
    },
  );
  inFlight.add(tracked);
  void tracked.finally(() => inFlight.delete(tracked));
};

const timer = setInterval(send, intervalMs);
say('started', { topic: producer.topic.id });

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  clearInterval(timer);
  await Promise.allSettled([...inFlight]);
  try {
    await client.close();
  } catch (error) {
    console.error(`close failed: ${(error as Error).message}`);
  }
  // acked === lastAcked + 1 means every seq up to lastAcked was acknowledged.
  say('stopped', { signal, sent: next, acked, failed, lastAcked });
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
