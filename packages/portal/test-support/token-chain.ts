import type { TokenPairSeen } from './portal-client.ts';

/**
 * Every rotation turns (t[g], t[g+1]) into (t[g+1], t[g+2]), so all the pairs a workspace ever
 * has form one chain of token ids. This records the chain as a client observes it (from GETs
 * and rotation replies, in any order) and refuses a pair that does not continue it: a fork
 * would mean two rotations of one pair both committed.
 */
export class TokenChain {
  readonly #ids: string[] = [];
  readonly #values = new Map<string, string>();

  observe(pair: TokenPairSeen): void {
    this.#values.set(pair.token1.id, pair.token1.value);
    this.#values.set(pair.token2.id, pair.token2.value);
    if (this.#ids.length === 0) {
      this.#ids.push(pair.token1.id, pair.token2.id);
      return;
    }
    const at = this.#ids.indexOf(pair.token1.id);
    if (at < 0) throw new Error(`pair ${pair.etag} does not continue the chain ${this.#describe()}`);
    const next = this.#ids[at + 1];
    if (next === undefined) this.#ids.push(pair.token2.id);
    else if (next !== pair.token2.id)
      throw new Error(`fork: ${pair.token1.id} was followed by ${next}, now by ${pair.token2.id}`);
  }

  /** The newest pair observed: rotations this client saw committed. */
  newest(): { token1: string; token2: string; generation: number } {
    const generation = this.#ids.length - 2;
    if (generation < 0) throw new Error('no pair observed yet');
    return { token1: this.#ids[generation]!, token2: this.#ids[generation + 1]!, generation };
  }

  has(id: string): boolean {
    return this.#values.has(id);
  }

  /** Every token observed, id → value. */
  tokens(): ReadonlyMap<string, string> {
    return this.#values;
  }

  #describe(): string {
    return this.#ids.length > 6 ? `…${this.#ids.slice(-6).join(' → ')}` : this.#ids.join(' → ');
  }
}
