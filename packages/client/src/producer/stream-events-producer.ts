// stream.events: events.addTimestamp(t).addValue(eventId, value).addTag(k, v).publish().
import { InvalidArgumentError } from '../errors.ts';
import {
  checkEventId,
  checkEventValue,
  type EventData,
  encodeEvent,
  encodeEvents,
} from '../wire/event-data.ts';
import { type EventDefinition, encodeEventDefinitions } from '../wire/stream-metadata.ts';
import { checkTag } from '../wire/timeseries-data.ts';
import { nanosecondsFromMilliseconds, type TimestampInput, toNanoseconds } from '../wire/timestamps.ts';
import { DefinitionsProducer } from './definitions.ts';
import type { StreamSink } from './stream-sink.ts';

/** Events at one timestamp; tags apply to all of them. */
export class EventDataBuilder {
  #producer: StreamEventsProducer;
  #timestamp: bigint;
  #events: Array<{ id: string; value: string }> = [];
  #tags: Record<string, string> = Object.create(null);
  #published = false;

  constructor(producer: StreamEventsProducer, timestamp: bigint) {
    this.#producer = producer;
    this.#timestamp = timestamp;
  }

  addValue(eventId: string, value: string): this {
    checkEventId(eventId);
    checkEventValue(eventId, value);
    this.#events.push({ id: eventId, value });
    return this;
  }

  addTag(tagId: string, value: string): this {
    checkTag(tagId, value);
    this.#tags[tagId] = value;
    return this;
  }

  addTags(tags: Record<string, string>): this {
    for (const [k, v] of Object.entries(tags)) this.addTag(k, v);
    return this;
  }

  /** Sends the events; settles when Kafka has them. */
  publish(): Promise<void> {
    if (this.#published)
      throw new InvalidArgumentError('These events were already published: start again with addTimestamp()');
    if (this.#events.length === 0)
      throw new InvalidArgumentError('No event to publish: call addValue(eventId, value) first');
    this.#published = true;
    return this.#producer.publish(
      this.#events.map((e) => ({
        id: e.id,
        value: e.value,
        timestamp: this.#timestamp,
        tags: { ...this.#tags },
      })),
    );
  }
}

export class StreamEventsProducer {
  #sink: StreamSink;
  /** @internal */
  readonly definitions: DefinitionsProducer<EventDefinition>;
  /** Tags added to every event that does not set them itself. */
  readonly defaultTags: Record<string, string> = Object.create(null);

  constructor(sink: StreamSink) {
    this.#sink = sink;
    this.definitions = new DefinitionsProducer(sink, 'EventDefinitions', encodeEventDefinitions);
  }

  addTimestamp(timestamp: TimestampInput): EventDataBuilder {
    return this.addTimestampNanoseconds(toNanoseconds(timestamp));
  }

  addTimestampMilliseconds(ms: number): EventDataBuilder {
    return this.addTimestampNanoseconds(nanosecondsFromMilliseconds(ms));
  }

  addTimestampNanoseconds(ns: bigint): EventDataBuilder {
    this.#sink.assertWritable();
    return new EventDataBuilder(this, toNanoseconds(ns));
  }

  addDefaultTag(key: string, value: string): this {
    checkTag(key, value);
    this.defaultTags[key] = value;
    return this;
  }

  /** Sends one event or several (as one EventData[] message); settles when Kafka has them. */
  publish(events: EventData | readonly EventData[]): Promise<void> {
    this.#sink.assertWritable();
    const list = Array.isArray(events) ? (events as readonly EventData[]) : [events as EventData];
    const prepared = list.map((event) => {
      checkEventId(event.id);
      checkEventValue(event.id, event.value);
      return {
        ...event,
        timestamp: toNanoseconds(event.timestamp),
        tags: { ...this.defaultTags, ...event.tags },
      };
    });
    if (prepared.length === 0) return Promise.resolve();
    return prepared.length === 1
      ? this.#sink.send('EventData', encodeEvent(prepared[0]!))
      : this.#sink.send('EventData[]', encodeEvents(prepared));
  }

  addDefinition(eventId: string, definition: Omit<EventDefinition, 'id'> = {}): this {
    this.definitions.add({ ...definition, id: eventId });
    return this;
  }

  addDefinitions(definitions: EventDefinition[]): this {
    for (const definition of definitions) this.definitions.add(definition);
    return this;
  }

  /** Settles when every event and definition sent so far is in Kafka. */
  flush(): Promise<void> {
    return this.definitions.flush();
  }
}
