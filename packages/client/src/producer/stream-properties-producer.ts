// Stream properties (name, location, metadata, parents, time of recording). Changes are sent as
// one StreamProperties message shortly after they stop coming, or on flush().
import { InvalidArgumentError } from '../errors.ts';
import { encodeStreamProperties, type StreamPropertiesData } from '../wire/stream-metadata.ts';
import type { StreamSink } from './stream-sink.ts';

/** A Map that tells its owner about every change. */
class MetadataMap extends Map<string, string> {
  #onChange: (() => void) | null = null;

  bind(onChange: () => void): this {
    this.#onChange = onChange;
    return this;
  }

  override set(key: string, value: string): this {
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw new InvalidArgumentError('Stream metadata keys and values must be strings');
    }
    super.set(key, value);
    this.#onChange?.();
    return this;
  }

  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted) this.#onChange?.();
    return deleted;
  }

  override clear(): void {
    super.clear();
    this.#onChange?.();
  }
}

export class StreamPropertiesProducer {
  #sink: StreamSink;
  #name: string | null = null;
  #location: string | null = null;
  #timeOfRecording: Date | null = null;
  #parents: string[] = [];
  #timer: NodeJS.Timeout | null = null;
  #dirty = false;
  #lastDelivery: Promise<void> = Promise.resolve();
  /** Free-form metadata; every change is published. */
  readonly metadata: Map<string, string> = new MetadataMap().bind(() => this.#changed());
  /** Milliseconds to wait for more changes before publishing them (default 50). */
  flushIntervalMs = 50;

  constructor(sink: StreamSink) {
    this.#sink = sink;
  }

  get name(): string | null {
    return this.#name;
  }
  set name(value: string | null) {
    this.#checkString('name', value);
    this.#name = value;
    this.#changed();
  }

  get location(): string | null {
    return this.#location;
  }
  set location(value: string | null) {
    this.#checkString('location', value);
    this.#location = value;
    this.#changed();
  }

  get timeOfRecording(): Date | null {
    return this.#timeOfRecording;
  }
  set timeOfRecording(value: Date | null) {
    if (value !== null && (!(value instanceof Date) || Number.isNaN(value.getTime()))) {
      throw new InvalidArgumentError('timeOfRecording must be a valid Date or null');
    }
    this.#timeOfRecording = value;
    this.#changed();
  }

  get parents(): readonly string[] {
    return this.#parents;
  }

  addParent(streamId: string): this {
    this.#checkString('parent stream id', streamId);
    if (!this.#parents.includes(streamId)) {
      this.#parents.push(streamId);
      this.#changed();
    }
    return this;
  }

  removeParent(streamId: string): this {
    const index = this.#parents.indexOf(streamId);
    if (index !== -1) {
      this.#parents.splice(index, 1);
      this.#changed();
    }
    return this;
  }

  snapshot(): StreamPropertiesData {
    return {
      name: this.#name,
      location: this.#location,
      metadata: Object.fromEntries(this.metadata),
      parents: [...this.#parents],
      timeOfRecording: this.#timeOfRecording,
    };
  }

  /** Publishes pending changes now; settles when Kafka has them. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#dirty) {
      this.#dirty = false;
      this.#lastDelivery = this.#sink.send('StreamProperties', encodeStreamProperties(this.snapshot()));
    }
    return this.#lastDelivery;
  }

  #checkString(what: string, value: unknown): void {
    if (value !== null && typeof value !== 'string') {
      throw new InvalidArgumentError(`The stream's ${what} must be a string`);
    }
  }

  #changed(): void {
    this.#sink.assertWritable();
    this.#dirty = true;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // Failures surface through the topic producer's 'error' and the next flush().
      this.flush().catch(() => {});
    }, this.flushIntervalMs);
  }
}
