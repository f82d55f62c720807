// HTTP to the Portal: headers, timeouts, retries of unanswered requests, and the one place that
// turns an error status into a typed error.
import {
  ForbiddenError,
  InvalidTokenError,
  NotFoundError,
  type PortalErrorDetails,
  PortalRequestError,
  PortalTlsError,
  PortalUnreachableError,
} from './errors.ts';
import { type RetryPolicy, withRetry } from './retry.ts';
import { version } from './version.ts';

export interface PortalHttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs: number;
  retry: RetryPolicy;
  deploymentId: string | null;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface RequestOptions {
  /** Statuses handed back to the caller instead of thrown (e.g. 404 = "absent"). */
  accept?: number[];
  body?: unknown;
  /** Absolute URL instead of a path under the base URL. */
  absoluteUrl?: string;
  /** Replaces the Bearer header (the token endpoint takes Basic). */
  authorization?: string;
  form?: Record<string, string>;
}

const userAgent = `streamgate-client/${version} node/${process.versions.node}`;

/** Node's codes for a server certificate that does not verify (not a network failure: never retried). */
const certificateErrorCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The certificate error behind a failed fetch, if that is why it failed. */
export function certificateErrorCode(error: unknown): string | null {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' && certificateErrorCodes.has(cause.code) ? cause.code : null;
}

/** Errors where the request got no HTTP answer: connection failures and timeouts. */
export function isTransientHttpError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (certificateErrorCode(error)) return false;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return true;
  // undici: TypeError('fetch failed') with the socket error as cause.
  return error instanceof TypeError && error.message === 'fetch failed';
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function field(body: unknown, name: string): string | null {
  if (body !== null && typeof body === 'object' && name in body) {
    const value = (body as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : null;
  }
  return null;
}

export function errorDetails(method: string, url: string, response: HttpResponse): PortalErrorDetails {
  const { body } = response;
  const message =
    field(body, 'message') ??
    field(body, 'error_description') ??
    field(body, 'error') ??
    (typeof body === 'string' && body !== '' ? body.slice(0, 500) : null);
  return {
    status: response.status,
    method,
    url,
    serverMessage: message,
    serverCode: field(body, 'code') ?? field(body, 'error'),
    correlationId: field(body, 'correlationId') ?? response.headers.get('x-correlation-id'),
  };
}

/** Maps an error status to its typed error. */
export function portalError(method: string, url: string, response: HttpResponse): PortalRequestError {
  const details = errorDetails(method, url, response);
  switch (response.status) {
    case 401:
      return new InvalidTokenError(details);
    case 403:
      return new ForbiddenError(details);
    case 404:
      return new NotFoundError(details);
    default:
      return new PortalRequestError(details);
  }
}

export class PortalHttp {
  readonly baseUrl: string;
  #options: PortalHttpOptions;

  constructor(options: PortalHttpOptions) {
    this.#options = options;
    this.baseUrl = options.baseUrl;
  }

  url(path: string): string {
    return `${this.baseUrl}${path}`;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse> {
    const url = options.absoluteUrl ?? this.url(path);
    const headers: Record<string, string> = {
      authorization: options.authorization ?? `Bearer ${this.#options.token}`,
      'x-version': '2.0',
      accept: 'application/json',
      'user-agent': userAgent,
    };
    if (this.#options.deploymentId) headers['x-deployment-id'] = this.#options.deploymentId;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }

    const response = await withRetry(
      async () => {
        const res = await fetch(url, {
          method,
          headers,
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        });
        const text = await res.text();
        return {
          status: res.status,
          headers: res.headers,
          body: parseBody(text, res.headers.get('content-type')),
        };
      },
      {
        policy: this.#options.retry,
        isTransient: isTransientHttpError,
        onGiveUp: (error, attempts) => new PortalUnreachableError(method, url, attempts, error),
      },
    ).catch((error: unknown) => {
      const reason = certificateErrorCode(error);
      throw reason ? new PortalTlsError(method, url, reason, error) : error;
    });
    if (response.status >= 400 && !options.accept?.includes(response.status)) {
      throw portalError(method, url, response);
    }
    return response;
  }
}
