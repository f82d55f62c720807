import {
  Consumer,
  Producer,
  type SASLOptions,
  stringDeserializers,
  stringSerializers,
} from '@platformatic/kafka';

export type StringProducer = Producer<string, string, string, string>;
export type StringConsumer = Consumer<string, string, string, string>;

/**
 * Plain `@platformatic/kafka` string clients of a test's broker, each logged in as the test says
 * and closed by the suite's `closers` (in its `after`).
 */
export function kafkaTestClients(options: {
  bootstrap: () => string;
  clientId: string;
  closers: (() => Promise<unknown>)[];
  retryDelay: number;
  producerRetries: number;
  consumerRetries: number;
}) {
  const { clientId, closers, retryDelay } = options;
  return {
    producer(sasl: SASLOptions): StringProducer {
      const producer = new Producer({
        clientId,
        bootstrapBrokers: [options.bootstrap()],
        serializers: stringSerializers,
        sasl,
        retries: options.producerRetries,
        retryDelay,
      });
      closers.push(() => producer.close(true));
      return producer;
    },
    consumer(sasl: SASLOptions, groupId: string): StringConsumer {
      const consumer = new Consumer({
        clientId,
        groupId,
        bootstrapBrokers: [options.bootstrap()],
        deserializers: stringDeserializers,
        sasl,
        retries: options.consumerRetries,
        retryDelay,
      });
      closers.push(() => consumer.close(true));
      return consumer;
    },
  };
}

export const sendOne = (producer: StringProducer, topic: string, value: string) =>
  producer.send({ messages: [{ topic, key: 'k', value }] });

/** Reads `topic` from the start until `count` messages arrived, or 60 s passed (an empty topic must not hang the test). */
export async function readBack(consumer: StringConsumer, topic: string, count: number): Promise<string[]> {
  const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true });
  const values: string[] = [];
  const timer = setTimeout(() => void stream.close(), 60_000);
  try {
    for await (const message of stream) {
      values.push(message.value);
      if (values.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    await stream.close();
  }
  return values;
}
