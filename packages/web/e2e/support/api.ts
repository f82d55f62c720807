import type { LoginRequest, Session } from '@streamgate/contract';

/** A logged-in API session from Node (cookie + CSRF token), to set up and check what the UI did. */
export class ApiSession {
  readonly baseUrl: string;
  #cookie = '';
  #csrf = '';

  private constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  static async login(baseUrl: string, email: string, password: string): Promise<ApiSession> {
    const session = new ApiSession(baseUrl);
    const res = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password } satisfies LoginRequest),
    });
    if (res.status !== 200) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as Session;
    session.#csrf = body.csrfToken;
    session.#cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return session;
  }

  async call(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.#cookie, ...extra };
    if (method !== 'GET') headers['x-csrf-token'] = this.#csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.call(method, path, body);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}

/** Calls the API with a bearer credential (a PAT or a streaming token) and returns the status. */
export async function statusWithBearer(baseUrl: string, path: string, token: string): Promise<number> {
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, 'x-version': '2.0' },
  });
  await res.arrayBuffer();
  return res.status;
}
