/**
 * Test-only HTTP calls against real portal processes: fetch with a bounded wait, so a hung
 * portal fails the test with the request named instead of hanging it.
 */
export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked field by field by the tests.
  body: any;
}

/** The admin's browser credentials: valid on every instance that shares the database. */
export interface SessionHeaders {
  cookie: string;
  'x-csrf-token': string;
}

export interface TokenPairSeen {
  etag: string;
  token1: { id: string; value: string };
  token2: { id: string; value: string };
}

const requestTimeoutMs = 20_000;

/** The request got no HTTP answer at all (refused, reset, timed out): what a dying portal causes. */
export class RequestFailed extends Error {}

export async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; json?: unknown; signal?: AbortSignal } = {},
): Promise<Reply> {
  const timeout = AbortSignal.timeout(requestTimeoutMs);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...options.headers,
      ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.json !== undefined ? JSON.stringify(options.json) : undefined,
    signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
  }).catch((error: unknown) => {
    throw new RequestFailed(`${method} ${baseUrl}${path} failed: ${String(error)}`, { cause: error });
  });
  const text = await response.text().catch((error: unknown) => {
    throw new RequestFailed(`${method} ${baseUrl}${path}: the body broke off: ${String(error)}`, {
      cause: error,
    });
  });
  let body: unknown = text;
  if (response.headers.get('content-type')?.includes('application/json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body };
}

export async function login(baseUrl: string, email: string, password: string): Promise<SessionHeaders> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(requestTimeoutMs),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0]!)
    .find((pair) => pair.startsWith('sg_session='));
  if (!cookie) throw new Error('login set no sg_session cookie');
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The pair as a reply of GET .../streaming-tokens or of a rotation shows it (Admin: with values). */
export function pairOf(reply: Reply): TokenPairSeen {
  const etag = reply.headers.get('etag');
  const { token1, token2 } = reply.body;
  if (!etag || typeof token1?.value !== 'string' || typeof token2?.value !== 'string') {
    throw new Error(`not a token pair with values: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return {
    etag,
    token1: { id: token1.id, value: token1.value },
    token2: { id: token2.id, value: token2.value },
  };
}

export async function readPair(
  baseUrl: string,
  session: SessionHeaders,
  workspaceId: string,
): Promise<TokenPairSeen> {
  const reply = await send(baseUrl, 'GET', `/workspaces/${workspaceId}/streaming-tokens`, {
    headers: { ...session },
  });
  if (reply.status !== 200) {
    throw new Error(`GET streaming-tokens: ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return pairOf(reply);
}

export function rotate(
  baseUrl: string,
  session: SessionHeaders,
  workspaceId: string,
  etag: string,
  signal?: AbortSignal,
): Promise<Reply> {
  return send(baseUrl, 'POST', `/workspaces/${workspaceId}/streaming-tokens/rotate`, {
    headers: { ...session, 'if-match': etag },
    ...(signal ? { signal } : {}),
  });
}
