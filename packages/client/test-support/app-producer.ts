// A producer service as deployed: configured only through the environment, run by App.run.
// It publishes rows until SIGTERM, then prints how many it published and exits through App.run's
// graceful shutdown. The integration test counts what reached the topic.
import { App, QuixStreamingClient } from '../src/index.ts';

const client = new QuixStreamingClient();
const producer = await client.getTopicProducer(process.env.TOPIC ?? 'app-run');
const stream = producer.createStream(process.env.STREAM_ID ?? 'app-run-stream');
// Large triggers: at shutdown most rows are still in the buffer, which close() must deliver.
stream.timeseries.buffer.packetSize = 100_000;
stream.timeseries.buffer.bufferTimeoutMs = 60_000;
stream.properties.name = 'app-run';

let published = 0;
let running = true;
const tick = () => {
  if (!running) return;
  for (let i = 0; i < 50; i++) {
    stream.timeseries.buffer
      .addTimestampNanoseconds(BigInt(Date.now()) * 1_000_000n + BigInt(i))
      .addValue('n', published)
      .publish();
    published++;
  }
  setTimeout(tick, 2);
};
tick();
process.stdout.write('ready\n');

await App.run({
  beforeShutdown: () => {
    running = false;
  },
});
process.stdout.write(`published ${published}\n`);
