// The real stack for integration tests (a portal process and a Kafka broker, from the portal's
// test support), plus the admin calls the tests need: streaming tokens and their rotation.
import { type Stack, startStack } from '../../portal/test-support/stack.ts';

export type { Stack };

export interface AdminSession {
  cookie: string;
  csrfToken: string;
}

export interface StreamingTokenPair {
  token1: string;
  token2: string;
  etag: string;
}

export const workspaceId = 'dev';

/** `tls`: the portal on HTTPS and the broker on SASL_SSL, from a private CA (`stack.tls`). */
export async function startClientStack(
  env: Record<string, string> = {},
  options: { tls?: boolean } = {},
): Promise<Stack> {
  return startStack({ kafka: true, env, tls: options.tls ?? false });
}

export async function loginAdmin(stack: Stack): Promise<AdminSession> {
  const response = await fetch(`${stack.portalUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie, csrfToken: body.csrfToken };
}

export async function streamingTokens(
  stack: Stack,
  session: AdminSession,
  ws = workspaceId,
): Promise<StreamingTokenPair> {
  const response = await fetch(`${stack.portalUrl}/workspaces/${ws}/streaming-tokens`, {
    headers: { cookie: session.cookie },
  });
  if (response.status !== 200)
    throw new Error(`streaming tokens: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { token1: { value: string }; token2: { value: string } };
  return { token1: body.token1.value, token2: body.token2.value, etag: response.headers.get('etag') ?? '' };
}

export async function rotateTokens(
  stack: Stack,
  session: AdminSession,
  etag: string,
  ws = workspaceId,
): Promise<void> {
  const response = await fetch(`${stack.portalUrl}/workspaces/${ws}/streaming-tokens/rotate`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'if-match': etag, 'x-csrf-token': session.csrfToken },
  });
  if (response.status !== 200) throw new Error(`rotate: ${response.status} ${await response.text()}`);
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
