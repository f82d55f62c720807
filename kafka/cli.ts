// `./streamgate kafka`: run the broker in the foreground until SIGINT/SIGTERM.
import { type StartKafkaOptions, startKafka } from './kafka-server.ts';

export async function runKafkaForeground(opts: StartKafkaOptions): Promise<void> {
  const server = await startKafka({ echoLogs: true, ...opts });
  process.stdout.write(
    `Kafka is ready at ${server.bootstrap} (${opts.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}: OAUTHBEARER${opts.plain ? ' and PLAIN' : ''} for streaming tokens, SCRAM-SHA-512 for "${server.adminUser}"). Ctrl-C stops it.\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  process.stdout.write(`Received ${signal}, stopping Kafka ...\n`);
  await server.stop();
  process.stdout.write('Kafka stopped.\n');
}
