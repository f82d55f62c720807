// What a stream producer's parts write through: its stream id, its topic's send queue, its state.
import type { ModelKey } from '../wire/quix-format.ts';

export interface StreamSink {
  readonly streamId: string;
  /** Queues one Quix message of this stream; settles when Kafka has it. */
  send(modelKey: ModelKey, json: string): Promise<void>;
  /** Throws StreamClosedError (or the revocation error) when writing is no longer possible. */
  assertWritable(): void;
}
