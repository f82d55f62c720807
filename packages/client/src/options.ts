// Options of QuixStreamingClient and how arguments and environment variables resolve into them.
import type { TopicConfiguration as ContractTopicConfiguration } from '@streamgate/contract';
import { ConfigurationError, MalformedTokenError } from './errors.ts';
import { defaultRetryPolicy, type RetryPolicy, validateRetryPolicy } from './retry.ts';
import { type Framing, framings } from './wire/quix-format.ts';

export const envNames = {
  token: 'Quix__Sdk__Token',
  portalApi: 'Quix__Portal__Api',
  workspaceId: 'Quix__Workspace__Id',
  consumerGroup: 'Quix__Consumer_Group',
  deploymentId: 'Quix__Deployment__Id',
} as const;

/** A new topic's settings as the client sends them: null takes the Portal's default. */
export type TopicConfiguration = {
  [Key in keyof ContractTopicConfiguration]: ContractTopicConfiguration[Key] | null;
};

export interface QuixStreamingClientOptions {
  /** Portal API base URL; else `Quix__Portal__Api`. */
  portalApi?: string;
  /** Workspace id; else `Quix__Workspace__Id`; else the only workspace `GET /workspaces` returns. */
  workspaceId?: string;
  /** Create topics that do not exist (default true). */
  autoCreateTopics?: boolean;
  /** Configuration for topics this client creates; unset fields take the Portal's defaults. */
  topicConfiguration?: Partial<TopicConfiguration>;
  /** How long to wait for a topic to become Ready (default 60 s). */
  topicReadyTimeoutMs?: number;
  /** Timeout of one Portal API request (default 30 s). */
  requestTimeoutMs?: number;
  /** Backoff for Portal requests that got no answer (connection errors and timeouts only). */
  retry?: Partial<RetryPolicy>;
  /** Kafka client id (default `streamgate-client`). */
  clientId?: string;
  /** Sent as `X-Deployment-Id`; else `Quix__Deployment__Id`. */
  deploymentId?: string;
  /** Fraction of a broker JWT's lifetime after which it is renewed (default 0.8). */
  tokenRefreshRatio?: number;
  /**
   * How topic producers frame Quix messages unless `getTopicProducer` says otherwise: `'headers'`
   * (default; what quixstreams 2.x/3.x write) or `'headerless'` (what quixstreams 0.5.x reads).
   */
  framing?: Framing;
  /** Environment to read instead of `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedClientConfig {
  token: string;
  portalApi: string;
  workspaceId: string | null;
  autoCreateTopics: boolean;
  topicConfiguration: TopicConfiguration;
  topicReadyTimeoutMs: number;
  requestTimeoutMs: number;
  retry: RetryPolicy;
  clientId: string;
  deploymentId: string | null;
  tokenRefreshRatio: number;
  framing: Framing;
  defaultConsumerGroup: string | null;
}

const MIN_TOKEN_LENGTH = 20;

/**
 * Loose, client-side check that a string can be a streaming token. It catches the usual copy-paste
 * accidents before any request; the Portal remains the judge of validity. The token itself never
 * appears in the message.
 */
export function checkTokenShape(token: string): void {
  if (token.length === 0) {
    throw new MalformedTokenError(
      `The streaming token is empty: pass the workspace's token to new QuixStreamingClient(token) or set ${envNames.token}`,
    );
  }
  const whitespace = token.search(/\s/);
  if (whitespace !== -1) {
    throw new MalformedTokenError(
      `The streaming token contains whitespace or a line break at position ${whitespace}: copy it again without spaces or newlines (a trailing newline from a file or echo is the usual cause)`,
    );
  }
  const unprintable = token.search(/[^\x21-\x7e]/);
  if (unprintable !== -1) {
    throw new MalformedTokenError(
      `The streaming token contains a character that cannot be part of a token at position ${unprintable}: copy it again from the Portal`,
    );
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new MalformedTokenError(
      `The streaming token is only ${token.length} characters long and looks truncated: copy the whole token (it starts with sgs_) from the Portal`,
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

function normalisePortalUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigurationError(`${source} is not a URL: expected e.g. https://portal.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`${source} must be an http:// or https:// URL, got ${url.protocol}`);
  }
  if (url.search || url.hash) {
    throw new ConfigurationError(`${source} must not carry a query or fragment`);
  }
  return url.href.replace(/\/+$/, '');
}

/** The framing option, checked: a misspelt value must not silently fall back to the default. */
export function checkFraming(name: string, value: Framing | undefined, fallback: Framing): Framing {
  if (value === undefined) return fallback;
  if (!(framings as readonly unknown[]).includes(value)) {
    throw new TypeError(
      `${name} must be one of ${framings.map((f) => `'${f}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

export function resolveClientConfig(
  tokenArgument: string | undefined,
  options: QuixStreamingClientOptions = {},
): ResolvedClientConfig {
  const env = options.env ?? process.env;
  const token = tokenArgument ?? nonEmpty(env[envNames.token]);
  if (token === undefined) {
    throw new ConfigurationError(
      `No streaming token: pass it as new QuixStreamingClient(token) or set the ${envNames.token} environment variable`,
    );
  }
  checkTokenShape(token);

  const portalFromOption = nonEmpty(options.portalApi);
  const portalRaw = portalFromOption ?? nonEmpty(env[envNames.portalApi]);
  if (portalRaw === undefined) {
    throw new ConfigurationError(
      `No Portal API URL: pass { portalApi: 'https://...' } or set the ${envNames.portalApi} environment variable`,
    );
  }
  const portalApi = normalisePortalUrl(
    portalRaw,
    portalFromOption ? 'options.portalApi' : envNames.portalApi,
  );

  const workspaceId = nonEmpty(options.workspaceId) ?? nonEmpty(env[envNames.workspaceId]) ?? null;

  const retry = { ...defaultRetryPolicy, ...options.retry };
  validateRetryPolicy(retry);

  const ratio = options.tokenRefreshRatio ?? 0.8;
  if (!(ratio > 0.1 && ratio < 0.95))
    throw new TypeError(`tokenRefreshRatio must be between 0.1 and 0.95, got ${ratio}`);

  return {
    token,
    portalApi,
    workspaceId,
    autoCreateTopics: options.autoCreateTopics ?? true,
    topicConfiguration: {
      partitions: null,
      replicationFactor: null,
      retentionInMinutes: null,
      retentionInBytes: null,
      cleanupPolicy: null,
      ...options.topicConfiguration,
    },
    topicReadyTimeoutMs: positive('topicReadyTimeoutMs', options.topicReadyTimeoutMs, 60_000),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs, 30_000),
    retry,
    clientId: options.clientId ?? 'streamgate-client',
    deploymentId: nonEmpty(options.deploymentId) ?? nonEmpty(env[envNames.deploymentId]) ?? null,
    tokenRefreshRatio: ratio,
    framing: checkFraming('framing', options.framing, 'headers'),
    defaultConsumerGroup: nonEmpty(env[envNames.consumerGroup]) ?? null,
  };
}
