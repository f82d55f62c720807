// stream.timeseries: the buffer, direct publishing, and parameter definitions.
import { encodeParameterDefinitions, type ParameterDefinition } from '../wire/stream-metadata.ts';
import { encodeTimeseriesRows, type TimeseriesData } from '../wire/timeseries-data.ts';
import { DefinitionsProducer } from './definitions.ts';
import type { StreamSink } from './stream-sink.ts';
import { TimeseriesBuffer, type TimeseriesBufferOptions } from './timeseries-buffer.ts';

export class StreamTimeseriesProducer {
  #sink: StreamSink;
  readonly buffer: TimeseriesBuffer;
  /** @internal */
  readonly definitions: DefinitionsProducer<ParameterDefinition>;

  constructor(sink: StreamSink, bufferOptions?: TimeseriesBufferOptions) {
    this.#sink = sink;
    this.buffer = new TimeseriesBuffer(sink, bufferOptions);
    this.definitions = new DefinitionsProducer(sink, 'ParameterDefinitions', encodeParameterDefinitions);
  }

  /** Sends `data` as one message now, past the buffer; settles when Kafka has it. */
  publish(data: TimeseriesData): Promise<void> {
    this.#sink.assertWritable();
    if (data.rows.length === 0) return Promise.resolve();
    return this.#sink.send('TimeseriesData', encodeTimeseriesRows(data.rows));
  }

  /** Describes a parameter (display name, unit, range, ...) for readers of the stream. */
  addDefinition(parameterId: string, definition: Omit<ParameterDefinition, 'id'> = {}): this {
    this.definitions.add({ ...definition, id: parameterId });
    return this;
  }

  addDefinitions(definitions: ParameterDefinition[]): this {
    for (const definition of definitions) this.definitions.add(definition);
    return this;
  }

  /** Sends buffered rows and definitions; settles when Kafka has them. */
  async flush(): Promise<void> {
    await Promise.all([this.definitions.flush(), this.buffer.flush()]);
  }
}
