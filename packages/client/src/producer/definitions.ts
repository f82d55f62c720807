// Parameter and event definitions of a stream producer, published as one message per change batch.
import { InvalidArgumentError } from '../errors.ts';
import type { ModelKey } from '../wire/quix-format.ts';
import type { StreamSink } from './stream-sink.ts';

export class DefinitionsProducer<D extends { id: string }> {
  #sink: StreamSink;
  #modelKey: ModelKey;
  #encode: (definitions: readonly D[]) => string;
  #definitions = new Map<string, D>();
  #scheduled = false;
  #lastDelivery: Promise<void> = Promise.resolve();

  constructor(sink: StreamSink, modelKey: ModelKey, encode: (definitions: readonly D[]) => string) {
    this.#sink = sink;
    this.#modelKey = modelKey;
    this.#encode = encode;
  }

  get all(): D[] {
    return [...this.#definitions.values()];
  }

  add(definition: D): void {
    this.#sink.assertWritable();
    if (typeof definition.id !== 'string' || definition.id === '') {
      throw new InvalidArgumentError('A definition needs a non-empty id');
    }
    this.#definitions.set(definition.id, definition);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Definitions added in the same tick go out together, ahead of data published after them.
    queueMicrotask(() => this.flush().catch(() => {}));
  }

  flush(): Promise<void> {
    if (this.#scheduled) {
      this.#scheduled = false;
      this.#lastDelivery = this.#sink.send(this.#modelKey, this.#encode(this.all));
    }
    return this.#lastDelivery;
  }
}
