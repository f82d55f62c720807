// Hands items one at a time from the consume loop to an async iterator. put() settles only when the
// iterator comes back for the next item, i.e. when the loop body that handled this one finished:
// that is when the message counts as handled (and may be committed).

interface Waiting<T> {
  item: T;
  taken: () => void;
}

export class Handoff<T> {
  #queue: Waiting<T>[] = [];
  #puller: ((result: IteratorResult<T>) => void) | null = null;
  #pullerFailed: ((error: unknown) => void) | null = null;
  #inHand: (() => void) | null = null;
  #ended = false;
  #error: unknown = null;

  /** Settles when the consumer has finished with `item` (or the handoff ended). */
  put(item: T): Promise<void> {
    if (this.#ended) return Promise.resolve();
    return new Promise<void>((taken) => {
      this.#queue.push({ item, taken });
      this.#deliver();
    });
  }

  end(error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error ?? null;
    this.#inHand?.();
    this.#inHand = null;
    for (const waiting of this.#queue) waiting.taken();
    this.#queue = [];
    if (this.#puller) {
      if (this.#error) this.#pullerFailed!(this.#error);
      else this.#puller({ done: true, value: undefined });
      this.#puller = null;
      this.#pullerFailed = null;
    }
  }

  next(): Promise<IteratorResult<T>> {
    // Coming back for more means the previous item is done.
    this.#inHand?.();
    this.#inHand = null;
    if (this.#ended) {
      return this.#error ? Promise.reject(this.#error) : Promise.resolve({ done: true, value: undefined });
    }
    return new Promise((resolve, reject) => {
      this.#puller = resolve;
      this.#pullerFailed = reject;
      this.#deliver();
    });
  }

  #deliver(): void {
    if (!this.#puller) return;
    const waiting = this.#queue.shift();
    if (!waiting) return;
    const puller = this.#puller;
    this.#puller = null;
    this.#pullerFailed = null;
    this.#inHand = waiting.taken;
    puller({ done: false, value: waiting.item });
  }
}
