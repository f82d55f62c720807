// A topic to read Quix streams from: messages become streams (by key) with properties, timeseries,
// events and an end; offered to callbacks and, alternatively, to `for await`.
import { SerializationError } from '../errors.ts';
import type { KafkaMessage } from '../kafka/consume-loop.ts';
import { decodeEventBody, decodeEventListBody, type EventData } from '../wire/event-data.ts';
import { decodeQuixMessage, type ModelKey } from '../wire/quix-format.ts';
import {
  decodeEventDefinitions,
  decodeParameterDefinitions,
  decodeStreamEnd,
  decodeStreamProperties,
  type EventDefinition,
  type ParameterDefinition,
  type StreamEndType,
  type StreamPropertiesData,
} from '../wire/stream-metadata.ts';
import { decodeTimeseriesBody, type TimeseriesData } from '../wire/timeseries-data.ts';
import { ConsumerBase, type ConsumerDeps, type Maybe, then } from './consumer-base.ts';
import { Listeners, StreamConsumer } from './stream-consumer.ts';

export type StreamItem =
  | { type: 'timeseries'; stream: StreamConsumer; data: TimeseriesData }
  | { type: 'event'; stream: StreamConsumer; event: EventData }
  | { type: 'properties'; stream: StreamConsumer; properties: StreamPropertiesData }
  | { type: 'parameterDefinitions'; stream: StreamConsumer; definitions: ParameterDefinition[] }
  | { type: 'eventDefinitions'; stream: StreamConsumer; definitions: EventDefinition[] }
  | { type: 'closed'; stream: StreamConsumer; endType: StreamEndType };

/** A message that is not in the Quix format; it is skipped (and committed) like quixstreams does. */
export interface SkippedMessage {
  partition: number;
  offset: bigint;
  error: SerializationError;
}

export interface TopicConsumerEvents {
  error: [Error];
  skipped: [SkippedMessage];
  committed: [];
}

export type TopicConsumerDeps = ConsumerDeps;
export type { LoopHooks } from './consumer-base.ts';

type Decoded =
  | { type: 'timeseries'; data: TimeseriesData }
  | { type: 'events'; events: EventData[] }
  | { type: 'properties'; properties: StreamPropertiesData }
  | { type: 'parameterDefinitions'; definitions: ParameterDefinition[] }
  | { type: 'eventDefinitions'; definitions: EventDefinition[] }
  | { type: 'closed'; endType: StreamEndType };

/** The typed content of a Quix message body (throws SerializationError on a malformed one). */
function decodeBody(modelKey: ModelKey, body: unknown): Decoded {
  switch (modelKey) {
    case 'TimeseriesData':
      return { type: 'timeseries', data: decodeTimeseriesBody(body) };
    case 'EventData':
      return { type: 'events', events: [decodeEventBody(body)] };
    case 'EventData[]':
      return { type: 'events', events: decodeEventListBody(body) };
    case 'StreamProperties':
      return { type: 'properties', properties: decodeStreamProperties(body) };
    case 'ParameterDefinitions':
      return { type: 'parameterDefinitions', definitions: decodeParameterDefinitions(body) };
    case 'EventDefinitions':
      return { type: 'eventDefinitions', definitions: decodeEventDefinitions(body) };
    case 'StreamEnd':
      return { type: 'closed', endType: decodeStreamEnd(body) };
  }
}

export class TopicConsumer extends ConsumerBase<StreamItem, TopicConsumerEvents> {
  #streams = new Map<string, StreamConsumer>();
  #streamReceived = new Listeners<[StreamConsumer]>();
  #streamsRevoked = new Listeners<[StreamConsumer[]]>();

  protected get description(): string {
    return `The consumer of topic '${this.topic.name}'`;
  }

  /** Streams seen and not yet closed. */
  get streams(): ReadonlyMap<string, StreamConsumer> {
    return this.#streams;
  }

  /** Called once per new stream, before any of its data; register the stream's callbacks here. */
  onStreamReceived(handler: (stream: StreamConsumer) => unknown): () => void {
    return this.#streamReceived.add(handler);
  }

  /** Called when a rebalance took away the partitions of these streams. */
  onStreamsRevoked(handler: (streams: StreamConsumer[]) => unknown): () => void {
    return this.#streamsRevoked.add(handler);
  }

  protected override onAssignment(partitions: number[]): void {
    const kept = new Set(partitions);
    const revoked = [...this.#streams.values()].filter((s) => !kept.has(s.partition));
    if (revoked.length === 0) return;
    for (const stream of revoked) this.#streams.delete(stream.id);
    void Promise.resolve(this.#streamsRevoked.emit(revoked)).catch((error) => this.onFatal(error));
  }

  protected handle(message: KafkaMessage): Maybe {
    let decoded: Decoded | null;
    try {
      const envelope = decodeQuixMessage(message.value, message.headers);
      decoded = envelope && decodeBody(envelope.modelKey, envelope.body);
    } catch (error) {
      if (!(error instanceof SerializationError)) throw error;
      this.emit('skipped', { partition: message.partition, offset: message.offset, error });
      return;
    }
    if (!decoded) return;
    const item = decoded;
    const streamId = message.key ? message.key.toString('utf8') : '';
    const stream = this.#streams.get(streamId);
    if (!stream) {
      const created = new StreamConsumer(streamId, message.partition);
      this.#streams.set(streamId, created);
      return then(this.#streamReceived.emit(created), () => this.#dispatch(created, item));
    }
    return this.#dispatch(stream, item);
  }

  #dispatch(stream: StreamConsumer, decoded: Decoded): Maybe {
    switch (decoded.type) {
      case 'timeseries': {
        const { data } = decoded;
        return then(stream.timeseries.dataListeners.emit(data, stream), () =>
          this.offer({ type: 'timeseries', stream, data }),
        );
      }
      case 'events':
        return this.#dispatchEvents(stream, decoded.events, 0);
      case 'properties': {
        const { properties } = decoded;
        stream.properties = properties;
        return then(stream.propertiesListeners.emit(properties, stream), () =>
          this.offer({ type: 'properties', stream, properties }),
        );
      }
      case 'parameterDefinitions': {
        const { definitions } = decoded;
        stream.timeseries.definitions = definitions;
        return then(stream.timeseries.definitionListeners.emit(definitions, stream), () =>
          this.offer({ type: 'parameterDefinitions', stream, definitions }),
        );
      }
      case 'eventDefinitions': {
        const { definitions } = decoded;
        stream.events.definitions = definitions;
        return then(stream.events.definitionListeners.emit(definitions, stream), () =>
          this.offer({ type: 'eventDefinitions', stream, definitions }),
        );
      }
      case 'closed': {
        const { endType } = decoded;
        stream.endType = endType;
        if (this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
        return then(stream.closedListeners.emit(endType, stream), () =>
          this.offer({ type: 'closed', stream, endType }),
        );
      }
    }
  }

  #dispatchEvents(stream: StreamConsumer, events: EventData[], from: number): Maybe {
    for (let i = from; i < events.length; i++) {
      const event = events[i]!;
      const result = then(stream.events.dataListeners.emit(event, stream), () =>
        this.offer({ type: 'event', stream, event }),
      );
      if (result && typeof result.then === 'function') {
        return result.then(() => this.#dispatchEvents(stream, events, i + 1));
      }
    }
  }
}
