// A consumer service, configured only through the environment as a deployment is:
//   Quix__Sdk__Token      the workspace's streaming token
//   Quix__Portal__Api     the Portal API URL
//   Quix__Consumer_Group  (optional) the consumer group; without one nothing is committed
//   TOPIC                 (optional) the topic to read, default "car-telemetry"
// Run: node --conditions=streamgate-source examples/consumer.ts   (or build the client, then node examples/consumer.ts)
import { App, QuixStreamingClient } from '@streamgate/client';

const client = new QuixStreamingClient();
const consumer = await client.getTopicConsumer(process.env.TOPIC ?? 'car-telemetry', undefined, {
  autoOffsetReset: 'earliest',
});

consumer.onStreamReceived((stream) => {
  console.log(`stream ${stream.id} opened`);
  let rows = 0;
  stream.onPropertiesChanged((properties) =>
    console.log(`${stream.id} is "${properties.name}" at ${properties.location}`),
  );
  stream.timeseries.onDataReceived((data) => {
    rows += data.length;
    const last = data.rows.at(-1);
    if (last)
      console.log(
        `${stream.id}: ${rows} rows, speed ${Number(last.values.speed).toFixed(1)} ${last.values.gear}`,
      );
  });
  stream.events.onDataReceived((event) => console.log(`${stream.id}: event ${event.id} = ${event.value}`));
  stream.onStreamClosed((endType) => console.log(`stream ${stream.id} ${endType} after ${rows} rows`));
});

console.log(`reading ${consumer.topic.id} in group ${consumer.consumerGroup}; Ctrl-C to stop`);
// Subscribes, and on SIGINT/SIGTERM commits what was handled and leaves the group.
await App.run();
