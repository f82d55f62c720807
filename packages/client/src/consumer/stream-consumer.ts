// One incoming stream: its properties, timeseries, events and end, delivered to callbacks.
import type { EventData } from '../wire/event-data.ts';
import type {
  EventDefinition,
  ParameterDefinition,
  StreamEndType,
  StreamPropertiesData,
} from '../wire/stream-metadata.ts';
import type { TimeseriesData } from '../wire/timeseries-data.ts';

/** A callback; a returned promise is awaited, any other return value ignored. */
type Handler<A extends unknown[]> = (...args: A) => unknown;

/** A list of callbacks, run in order; the promise (if any) of each is awaited before the next. */
export class Listeners<A extends unknown[]> {
  #handlers: Handler<A>[] = [];

  add(handler: Handler<A>): () => void {
    if (typeof handler !== 'function') throw new TypeError('A callback must be a function');
    this.#handlers.push(handler);
    return () => {
      this.#handlers = this.#handlers.filter((h) => h !== handler);
    };
  }

  get size(): number {
    return this.#handlers.length;
  }

  /** Runs every handler; returns a promise only when one of them did. */
  emit(...args: A): void | Promise<void> {
    const handlers = this.#handlers;
    for (let i = 0; i < handlers.length; i++) {
      const result = handlers[i]!(...args);
      if (result && typeof (result as Promise<void>).then === 'function') {
        return (async () => {
          await (result as Promise<void>);
          for (let j = i + 1; j < handlers.length; j++) await handlers[j]!(...args);
        })();
      }
    }
  }
}

function emptyProperties(): StreamPropertiesData {
  return { name: null, location: null, metadata: Object.create(null), parents: [], timeOfRecording: null };
}

export class StreamTimeseriesConsumer {
  /** @internal */
  readonly dataListeners = new Listeners<[TimeseriesData, StreamConsumer]>();
  /** @internal */
  readonly definitionListeners = new Listeners<[ParameterDefinition[], StreamConsumer]>();
  definitions: ParameterDefinition[] = [];

  /** Called with each TimeseriesData message of the stream. Returns a function that unsubscribes. */
  onDataReceived(handler: (data: TimeseriesData, stream: StreamConsumer) => unknown): () => void {
    return this.dataListeners.add(handler);
  }

  onDefinitionsChanged(
    handler: (definitions: ParameterDefinition[], stream: StreamConsumer) => unknown,
  ): () => void {
    return this.definitionListeners.add(handler);
  }
}

export class StreamEventsConsumer {
  /** @internal */
  readonly dataListeners = new Listeners<[EventData, StreamConsumer]>();
  /** @internal */
  readonly definitionListeners = new Listeners<[EventDefinition[], StreamConsumer]>();
  definitions: EventDefinition[] = [];

  /** Called with each event of the stream. */
  onDataReceived(handler: (event: EventData, stream: StreamConsumer) => unknown): () => void {
    return this.dataListeners.add(handler);
  }

  onDefinitionsChanged(
    handler: (definitions: EventDefinition[], stream: StreamConsumer) => unknown,
  ): () => void {
    return this.definitionListeners.add(handler);
  }
}

export class StreamConsumer {
  readonly id: string;
  /** The Kafka partition the stream arrives on. */
  readonly partition: number;
  readonly timeseries = new StreamTimeseriesConsumer();
  readonly events = new StreamEventsConsumer();
  /** The latest properties received. */
  properties: StreamPropertiesData = emptyProperties();
  /** Set once the stream's StreamEnd arrived. */
  endType: StreamEndType | null = null;
  /** @internal */
  readonly propertiesListeners = new Listeners<[StreamPropertiesData, StreamConsumer]>();
  /** @internal */
  readonly closedListeners = new Listeners<[StreamEndType, StreamConsumer]>();

  constructor(id: string, partition: number) {
    this.id = id;
    this.partition = partition;
  }

  get closed(): boolean {
    return this.endType !== null;
  }

  onPropertiesChanged(
    handler: (properties: StreamPropertiesData, stream: StreamConsumer) => unknown,
  ): () => void {
    return this.propertiesListeners.add(handler);
  }

  onStreamClosed(handler: (endType: StreamEndType, stream: StreamConsumer) => unknown): () => void {
    return this.closedListeners.add(handler);
  }
}
