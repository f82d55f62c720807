// Broker credentials: the short-lived JWT that the streaming token is exchanged for at the Portal's
// OAuth2 token endpoint, renewed before it expires so that Kafka re-authentication never waits.
import { BrokerError, PortalRequestError, PortalUnreachableError, TokenRevokedError } from './errors.ts';
import type { PortalApi } from './portal-api.ts';
import { errorDetails } from './portal-http.ts';

export interface BrokerCredentialsOptions {
  api: PortalApi;
  tokenEndpointUrl: string;
  clientId: string;
  clientSecret: string;
  /** Fraction of the lifetime after which the JWT is renewed. */
  refreshRatio: number;
  /** Called once when the token endpoint says the streaming token is no longer valid. */
  onRevoked: (error: TokenRevokedError) => void;
  /** Called when a background renewal fails for another reason (the current JWT is still used). */
  onRefreshError?: (error: unknown) => void;
  now?: () => number;
}

interface CurrentToken {
  jwt: string;
  obtainedAt: number;
  expiresAt: number;
  refreshAt: number;
}

/** Seconds of lifetime from `expires_in`, else from the JWT's own `exp`. */
export function tokenLifetimeSeconds(body: Record<string, unknown>, now: number): number {
  if (typeof body.expires_in === 'number' && body.expires_in > 0) return body.expires_in;
  if (typeof body.expires_in === 'string' && Number(body.expires_in) > 0) return Number(body.expires_in);
  const jwt = String(body.access_token);
  try {
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8'));
    if (typeof payload.exp === 'number') return Math.max(1, payload.exp - Math.floor(now / 1000));
  } catch {
    // fall through
  }
  return 60;
}

export class BrokerCredentials {
  #options: BrokerCredentialsOptions;
  #now: () => number;
  #current: CurrentToken | null = null;
  #inflight: Promise<string> | null = null;
  #timer: NodeJS.Timeout | null = null;
  #revoked: TokenRevokedError | null = null;
  #closed = false;

  constructor(options: BrokerCredentialsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get revoked(): TokenRevokedError | null {
    return this.#revoked;
  }

  /** A JWT for the broker: the current one while it is fresh, else a new one. */
  async getToken(): Promise<string> {
    if (this.#revoked) throw this.#revoked;
    const current = this.#current;
    if (current && this.#now() < current.refreshAt) return current.jwt;
    try {
      return await this.#mint();
    } catch (error) {
      // A Portal hiccup must not break the broker while the JWT we hold is still valid.
      if (!(error instanceof TokenRevokedError) && current && this.#now() < current.expiresAt - 5_000) {
        return current.jwt;
      }
      throw error;
    }
  }

  /**
   * Asks the token endpoint whether the streaming token is still good (used after a broker
   * authorization error). Resolves to the revocation error, or null when the token is fine.
   */
  async checkRevoked(): Promise<TokenRevokedError | null> {
    if (this.#revoked) return this.#revoked;
    try {
      await this.#mint();
      return null;
    } catch (error) {
      if (error instanceof TokenRevokedError) return error;
      return null;
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #mint(): Promise<string> {
    this.#inflight ??= this.#request().finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  async #request(): Promise<string> {
    const { api, tokenEndpointUrl, clientId, clientSecret } = this.#options;
    const response = await api.requestBrokerToken(tokenEndpointUrl, clientId, clientSecret);
    const body = (response.body ?? {}) as Record<string, unknown>;
    if (response.status === 401 || (response.status === 400 && body.error === 'invalid_client')) {
      const error = new TokenRevokedError(
        `the token endpoint answered ${response.status} ${String(body.error ?? '')}`.trim(),
      );
      this.#markRevoked(error);
      throw error;
    }
    if (response.status >= 400) {
      throw new PortalRequestError(errorDetails('POST', tokenEndpointUrl, response));
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new BrokerError(`The token endpoint ${tokenEndpointUrl} answered without an access_token`);
    }
    const now = this.#now();
    const lifetimeMs = tokenLifetimeSeconds(body, now) * 1000;
    this.#current = {
      jwt: body.access_token,
      obtainedAt: now,
      expiresAt: now + lifetimeMs,
      refreshAt: now + lifetimeMs * this.#options.refreshRatio,
    };
    this.#schedule(lifetimeMs * this.#options.refreshRatio);
    return body.access_token;
  }

  #markRevoked(error: TokenRevokedError): void {
    if (this.#revoked) return;
    this.#revoked = error;
    this.close();
    this.#options.onRevoked(error);
  }

  #schedule(delayMs: number): void {
    if (this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#refreshInBackground(), Math.max(0, delayMs));
    // Renewal alone must not keep a process alive.
    this.#timer.unref();
  }

  #refreshInBackground(): void {
    this.#timer = null;
    this.#mint().catch((error: unknown) => {
      if (error instanceof TokenRevokedError) return;
      this.#options.onRefreshError?.(error);
      const current = this.#current;
      if (!current) return;
      // Try again well before the JWT we hold expires.
      const left = current.expiresAt - this.#now();
      const retryIn = error instanceof PortalUnreachableError ? 1_000 : Math.max(1_000, left / 4);
      if (left > 0) this.#schedule(Math.min(retryIn, left / 2));
    });
  }
}
