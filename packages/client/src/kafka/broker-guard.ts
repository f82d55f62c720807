// Turns Kafka failures into this library's errors, and makes a revoked token fail everything loudly:
// the first revocation is broadcast to every producer and consumer of the client, which reject
// their pending and future work with the same TokenRevokedError.
import type { BrokerCredentials } from '../credentials.ts';
import { BrokerError, StreamgateClientError, TokenRevokedError } from '../errors.ts';
import { findInChain, isAccessError, kafkaApiId } from './error-chain.ts';

export type RevocationListener = (error: TokenRevokedError) => void;

export class BrokerGuard {
  #credentials: BrokerCredentials | null;
  #revoked: TokenRevokedError | null = null;
  #listeners = new Set<RevocationListener>();

  constructor(credentials: BrokerCredentials | null = null) {
    this.#credentials = credentials;
  }

  /** The credentials to check when Kafka refuses access. */
  useCredentials(credentials: BrokerCredentials | null): void {
    this.#credentials = credentials;
  }

  get revoked(): TokenRevokedError | null {
    return this.#revoked;
  }

  onRevoked(listener: RevocationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records the revocation (once) and tells every listener. */
  revoke(error: TokenRevokedError): void {
    if (this.#revoked) return;
    this.#revoked = error;
    for (const listener of [...this.#listeners]) listener(error);
  }

  /** Throws the revocation error when the token is known to be gone. */
  assertUsable(): void {
    if (this.#revoked) throw this.#revoked;
  }

  /**
   * The error to surface for a Kafka failure. Authentication and authorization failures are
   * checked against the token endpoint: a rotated or revoked token yields TokenRevokedError.
   */
  async classify(error: unknown, during: string): Promise<StreamgateClientError> {
    if (this.#revoked) return this.#revoked;
    const revoked = findInChain(error, (e): e is TokenRevokedError => e instanceof TokenRevokedError);
    if (revoked) {
      this.revoke(revoked);
      return revoked;
    }
    if (error instanceof StreamgateClientError) return error;
    if (isAccessError(error) && this.#credentials) {
      const check = await this.#credentials.checkRevoked();
      if (check) {
        const wrapped = new TokenRevokedError(
          `${during} failed with ${kafkaApiId(error) ?? 'an authentication error'} and the token endpoint no longer accepts the token`,
          { cause: error },
        );
        this.revoke(wrapped);
        return this.#revoked ?? wrapped;
      }
    }
    const apiId = kafkaApiId(error);
    const reason = error instanceof Error ? error.message : String(error);
    return new BrokerError(`Kafka ${during} failed${apiId ? ` (${apiId})` : ''}: ${reason}`, {
      cause: error,
    });
  }
}
