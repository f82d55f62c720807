import { ApiError } from './api-error.ts';

// The session cookie is HttpOnly; the CSRF token that goes with it comes from POST /auth/login
// and GET /auth/me and must accompany every write.
let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the portal answers 401 to anything but the login itself: the session is gone. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestOptions = {
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** The login form handles its own 401 (wrong password); nothing else should. */
  allowUnauthorized?: boolean;
  signal?: AbortSignal;
};

export type ApiResponse<T> = { data: T; headers: Headers; status: number };

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function toApiError(res: Response): Promise<ApiError> {
  const fallback = `${res.status} ${res.statusText || 'Request failed'}`.trim();
  let body: { message?: unknown; code?: unknown; correlationId?: unknown } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // Not JSON (a proxy's error page, an empty body): the status line is all there is.
  }
  return new ApiError(typeof body.message === 'string' && body.message ? body.message : fallback, {
    status: res.status,
    code: typeof body.code === 'string' ? body.code : null,
    correlationId:
      typeof body.correlationId === 'string' ? body.correlationId : res.headers.get('x-correlation-id'),
  });
}

/** Sends the request; anything but a 2xx answer becomes an ApiError (a 401 also ends the session). */
async function fetchOk(
  method: Method,
  path: string,
  opts: RequestOptions,
  accept: string,
): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      credentials: 'include',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (cause) {
    if (opts.signal?.aborted) throw cause;
    throw new ApiError('Could not reach the portal. Check your connection and try again.', {
      status: 0,
      cause,
    });
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && !opts.allowUnauthorized) onUnauthorized?.();
    throw error;
  }
  return res;
}

export async function request<T>(
  method: Method,
  path: string,
  opts: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const res = await fetchOk(method, path, opts, 'application/json');
  const text = res.status === 204 ? '' : await res.text();
  const data = (text ? JSON.parse(text) : undefined) as T;
  return { data, headers: res.headers, status: res.status };
}

/** A GET whose body the caller reads as it arrives (res.body), e.g. a log that follows. */
export async function openTextStream(path: string, opts: RequestOptions = {}): Promise<Response> {
  return fetchOk('GET', path, opts, 'text/plain');
}

export async function getJson<T>(path: string, opts?: RequestOptions): Promise<T> {
  return (await request<T>('GET', path, opts)).data;
}

export async function send<T>(
  method: Exclude<Method, 'GET'>,
  path: string,
  opts?: RequestOptions,
): Promise<T> {
  return (await request<T>(method, path, opts)).data;
}
