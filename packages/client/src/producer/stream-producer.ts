// One stream of a topic: properties, timeseries and events, all keyed by the stream id.
import { InvalidArgumentError, StreamClosedError } from '../errors.ts';
import type { ModelKey } from '../wire/quix-format.ts';
import { encodeStreamEnd, type StreamEndType, streamEndTypes } from '../wire/stream-metadata.ts';
import { StreamEventsProducer } from './stream-events-producer.ts';
import { StreamPropertiesProducer } from './stream-properties-producer.ts';
import type { StreamSink } from './stream-sink.ts';
import { StreamTimeseriesProducer } from './stream-timeseries-producer.ts';
import type { TimeseriesBufferOptions } from './timeseries-buffer.ts';

/** What a stream needs from its topic producer. */
export interface StreamTransport {
  send(streamId: string, modelKey: ModelKey, json: string): Promise<void>;
  /** Throws when the topic producer is closed or its token revoked. */
  assertUsable(): void;
  /** Settles when everything queued on the topic so far is delivered (rejects on failures). */
  flush(): Promise<void>;
  streamClosed(stream: StreamProducer): void;
}

export interface StreamProducerOptions {
  buffer?: TimeseriesBufferOptions;
}

const dataKeys = new Set<ModelKey>(['TimeseriesData', 'EventData', 'EventData[]']);

export class StreamProducer {
  readonly id: string;
  readonly properties: StreamPropertiesProducer;
  readonly timeseries: StreamTimeseriesProducer;
  readonly events: StreamEventsProducer;
  #transport: StreamTransport;
  #closed = false;
  #closing: Promise<void> | null = null;

  constructor(id: string, transport: StreamTransport, options: StreamProducerOptions = {}) {
    this.id = id;
    this.#transport = transport;
    const sink: StreamSink = {
      streamId: id,
      send: (modelKey, json) => {
        // Messages leave in the order they were published: rows still in the buffer go first.
        if (modelKey !== 'TimeseriesData') this.timeseries.buffer.sendBuffered();
        // Definitions describe data: they go out before the data that follows them.
        if (dataKeys.has(modelKey)) {
          this.timeseries.definitions.flush();
          this.events.definitions.flush();
        }
        return transport.send(id, modelKey, json);
      },
      assertWritable: () => {
        if (this.#closed) throw new StreamClosedError(id);
        transport.assertUsable();
      },
    };
    this.properties = new StreamPropertiesProducer(sink);
    this.timeseries = new StreamTimeseriesProducer(sink, options.buffer);
    this.events = new StreamEventsProducer(sink);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends everything buffered (properties, definitions, timeseries) and waits until Kafka has it. */
  async flush(): Promise<void> {
    await Promise.all([this.properties.flush(), this.timeseries.flush(), this.events.flush()]);
    await this.#transport.flush();
  }

  /**
   * Flushes, then ends the stream with a StreamEnd message. Writing afterwards throws
   * StreamClosedError. Settles when Kafka has everything.
   */
  close(endType: StreamEndType = 'Closed'): Promise<void> {
    if (!streamEndTypes.includes(endType)) {
      throw new InvalidArgumentError(`endType must be one of ${streamEndTypes.join(', ')}, got ${endType}`);
    }
    this.#closing ??= this.#close(endType);
    return this.#closing;
  }

  async #close(endType: StreamEndType): Promise<void> {
    this.#transport.assertUsable();
    this.#closed = true;
    try {
      const flushed = Promise.all([this.properties.flush(), this.timeseries.flush(), this.events.flush()]);
      const ended = this.#transport.send(this.id, 'StreamEnd', encodeStreamEnd(endType));
      await Promise.all([flushed, ended]);
      await this.#transport.flush();
    } finally {
      this.#transport.streamClosed(this);
    }
  }
}
