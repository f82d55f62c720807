// `./streamgate kafka [--brokers 3]`: run the broker, or a cluster, in the foreground until SIGINT/SIGTERM.
import { startKafkaCluster } from './kafka-cluster.ts';
import { type StartKafkaOptions, startKafka } from './kafka-server.ts';

/** `brokers` > 1: a cluster in subdirectories of opts.dataDir, client ports from opts.clientPort on. */
export async function runKafkaForeground(opts: StartKafkaOptions, brokers = 1): Promise<void> {
  const base = opts.clientPort ?? 0;
  const server =
    brokers > 1
      ? await startKafkaCluster({
          echoLogs: true,
          ...opts,
          brokers,
          clientPorts: Array.from({ length: brokers }, (_, index) => (base > 0 ? base + index : 0)),
        })
      : await startKafka({ echoLogs: true, ...opts });
  process.stdout.write(
    `Kafka is ready at ${server.bootstrap} (${brokers > 1 ? `${brokers} brokers, ` : ''}${opts.tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}: OAUTHBEARER${opts.plain ? ' and PLAIN' : ''} for streaming tokens, SCRAM-SHA-512 for "${server.adminUser}"). Ctrl-C stops it.\n`,
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
