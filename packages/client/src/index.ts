export { App, type AppRunOptions } from './app.ts';
export { type RawConsumedMessage, RawTopicConsumer } from './consumer/raw-topic-consumer.ts';
export {
  StreamConsumer,
  StreamEventsConsumer,
  StreamTimeseriesConsumer,
} from './consumer/stream-consumer.ts';
export { type SkippedMessage, type StreamItem, TopicConsumer } from './consumer/topic-consumer.ts';
export * from './errors.ts';
export type { AutoOffsetReset } from './kafka/consume-loop.ts';
export { envNames, type QuixStreamingClientOptions, type TopicConfiguration } from './options.ts';
export type { Topic, TopicStatus } from './portal-api.ts';
export { type RawMessage, RawTopicProducer } from './producer/raw-topic-producer.ts';
export { EventDataBuilder, StreamEventsProducer } from './producer/stream-events-producer.ts';
export { StreamProducer, type StreamProducerOptions } from './producer/stream-producer.ts';
export { StreamPropertiesProducer } from './producer/stream-properties-producer.ts';
export { StreamTimeseriesProducer } from './producer/stream-timeseries-producer.ts';
export {
  TimeseriesBuffer,
  type TimeseriesBufferOptions,
  TimeseriesBufferRow,
} from './producer/timeseries-buffer.ts';
export { TopicProducer } from './producer/topic-producer.ts';
export {
  QuixStreamingClient,
  type TopicConsumerOptions,
  type TopicProducerOptions,
} from './quix-streaming-client.ts';
export type { RetryPolicy } from './retry.ts';
export { version } from './version.ts';
export type { EventData } from './wire/event-data.ts';
export type { Framing } from './wire/quix-format.ts';
export type {
  EventDefinition,
  EventLevel,
  ParameterDefinition,
  StreamEndType,
  StreamPropertiesData,
} from './wire/stream-metadata.ts';
export {
  type ParameterValue,
  TimeseriesData,
  type TimeseriesRow,
  TimeseriesRowWriter,
} from './wire/timeseries-data.ts';
export { dateFromNanoseconds, type TimestampInput } from './wire/timestamps.ts';
