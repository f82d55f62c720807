// A producer service, configured only through the environment as a deployment is:
//   Quix__Sdk__Token    the workspace's streaming token
//   Quix__Portal__Api   the Portal API URL
//   Quix__Workspace__Id (optional) when the token sees several workspaces
//   TOPIC               (optional) the topic to write, default "car-telemetry"
//   CARS                (optional) how many streams to write, default 3
// Run: node --conditions=streamgate-source examples/producer.ts   (or build the client, then node examples/producer.ts)
import { App, QuixStreamingClient } from '@streamgate/client';

const client = new QuixStreamingClient();
const producer = await client.getTopicProducer(process.env.TOPIC ?? 'car-telemetry');

const cars = Number(process.env.CARS ?? 3);
const streams = Array.from({ length: cars }, (_, i) => {
  const stream = producer.createStream(`car-${i + 1}`);
  stream.properties.name = `Car ${i + 1}`;
  stream.properties.location = '/cars';
  stream.timeseries.addDefinition('speed', { unit: 'km/h', minimumValue: 0, maximumValue: 350 });
  stream.timeseries.buffer.addDefaultTag('car', String(i + 1));
  return stream;
});

let tick = 0;
const timer = setInterval(() => {
  tick++;
  for (const [i, stream] of streams.entries()) {
    stream.timeseries.buffer
      .addTimestamp(new Date())
      .addValue('speed', 200 + 80 * Math.sin(tick / 20 + i))
      .addValue('gear', tick % 50 < 25 ? 'D' : 'N')
      .publish();
    if (tick % 100 === 0)
      void stream.events
        .addTimestamp(new Date())
        .addValue('lap', String(tick / 100))
        .publish();
  }
}, 100);

producer.on('error', (error) => console.error('delivery failed:', error.message));
console.log(`producing ${cars} streams to ${producer.topic.id}; Ctrl-C to stop`);

// On SIGINT/SIGTERM: stop generating, then every buffered row is delivered and each stream ends.
await App.run({ beforeShutdown: () => clearInterval(timer) });
console.log(`stopped after ${tick} ticks`);
