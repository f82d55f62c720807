import { ApiError, NetworkError } from './errors.ts';

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | undefined>;
}

const requestTimeoutMs = 30_000;

/**
 * The Portal API over fetch, authenticated with one bearer token. Errors become `ApiError`
 * (the server's message, code and correlation id) or `NetworkError`; neither ever carries the
 * token or a response body.
 */
export class PortalApi {
  readonly url: string;
  #credentials: Record<string, string>;
  #userAgent: string;

  constructor(options: { url: string; token: string; userAgent: string }) {
    this.url = options.url;
    this.#credentials = { authorization: `Bearer ${options.token}` };
    this.#userAgent = options.userAgent;
  }

  /**
   * A password login: what the portal requires to create a personal access token (a token
   * cannot mint another). End it with `logOut()`; the session never leaves this object.
   */
  static async logIn(options: {
    url: string;
    email: string;
    password: string;
    userAgent: string;
  }): Promise<PortalApi> {
    const api = new PortalApi({ url: options.url, token: '', userAgent: options.userAgent });
    api.#credentials = {};
    const response = await api.#send(
      'POST',
      '/auth/login',
      { json: { email: options.email, password: options.password } },
      AbortSignal.timeout(requestTimeoutMs),
    );
    const body = parseJson(await response.text().catch(() => ''), response.headers);
    if (response.status >= 400) throw apiError(response, body);
    const cookie = response.headers
      .getSetCookie()
      .map((header) => header.split(';')[0]!)
      .find((pair) => pair.startsWith('sg_session='));
    const csrfToken = (body as { csrfToken?: unknown } | null)?.csrfToken;
    if (!cookie || typeof csrfToken !== 'string') throw apiError(response, body);
    api.#credentials = { cookie, 'x-csrf-token': csrfToken };
    return api;
  }

  async logOut(): Promise<void> {
    await this.request('POST', '/auth/logout');
    this.#credentials = {};
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await this.#send(method, path, options, AbortSignal.timeout(requestTimeoutMs));
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw networkError(this.url, error);
    }
    const body = parseJson(text, response.headers);
    if (response.status >= 400) throw apiError(response, body);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  /**
   * A text answer as it arrives (`logs?follow=true`), chunk by chunk, until the portal ends it or
   * `signal` aborts (then it just ends). Only waiting for the answer's headers is timed out.
   */
  async *streamText(
    path: string,
    query: Record<string, string | undefined>,
    signal: AbortSignal,
  ): AsyncGenerator<string> {
    const headersTimeout = new AbortController();
    const timer = setTimeout(
      () => headersTimeout.abort(new DOMException('timeout', 'TimeoutError')),
      requestTimeoutMs,
    );
    let response: Response;
    try {
      response = await this.#send(
        'GET',
        path,
        { query, headers: { accept: 'text/plain, application/json' } },
        AbortSignal.any([signal, headersTimeout.signal]),
      );
    } catch (error) {
      if (signal.aborted) return;
      throw error;
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 400) {
      const text = await response.text().catch(() => '');
      throw apiError(response, parseJson(text, response.headers));
    }
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) yield decoder.decode(chunk, { stream: true });
      const rest = decoder.decode();
      if (rest) yield rest;
    } catch (error) {
      if (signal.aborted) return;
      throw networkError(this.url, error);
    }
  }

  async #send(method: string, path: string, options: RequestOptions, signal: AbortSignal): Promise<Response> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) search.set(key, value);
    }
    const target = `${this.url}${path}${search.size > 0 ? `?${search}` : ''}`;
    try {
      return await fetch(target, {
        method,
        headers: {
          ...this.#credentials,
          accept: 'application/json',
          'user-agent': this.#userAgent,
          'x-version': '2.0',
          ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
        signal,
        redirect: 'error', // a redirect would be followed with the Authorization header elsewhere
      });
    } catch (error) {
      throw networkError(this.url, error);
    }
  }

  async get<T>(path: string, query?: Record<string, string | undefined>): Promise<T> {
    return (await this.request<T>('GET', path, query ? { query } : {})).body;
  }
}

/** `/a/{b}`: each argument as one path segment, whatever it contains. */
export function apiPath(strings: TemplateStringsArray, ...segments: string[]): string {
  return strings.reduce((path, part, index) => {
    const segment = segments[index - 1];
    return `${path}${segment === undefined ? '' : encodeURIComponent(segment)}${part}`;
  });
}

function parseJson(text: string, headers: Headers): unknown {
  if (text.length === 0) return null;
  if (!headers.get('content-type')?.includes('json')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // JSON.parse's message would quote the body, which may hold a token
  }
}

function apiError(response: Response, body: unknown): ApiError {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : null);
  const message =
    text('message') ??
    text('error_description') ??
    `The portal answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} without an error message (is the URL the Portal API?).`;
  return new ApiError(response.status, message, text('code'), text('correlationId'));
}

function networkError(url: string, error: unknown): NetworkError {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return new NetworkError(`The portal at ${url} did not answer within ${requestTimeoutMs / 1000} s.`);
  }
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail =
    typeof cause?.code === 'string'
      ? cause.code
      : typeof cause?.message === 'string'
        ? cause.message
        : 'no answer';
  return new NetworkError(`Cannot reach the portal at ${url} (${detail}).`, { cause: error });
}
