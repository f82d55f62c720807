import type { LoginRequest, Session } from '@streamgate/contract';
import { getJson, request, send, setCsrfToken } from './client.ts';

export const sessionKey = ['session'] as const;

export async function fetchSession(): Promise<Session> {
  // No session is an answer here, not an interruption: RequireAuth sends the user to the login.
  const session = await getJson<Session>('/auth/me', { allowUnauthorized: true });
  setCsrfToken(session.csrfToken);
  return session;
}

export async function login(email: string, password: string): Promise<Session> {
  const { data } = await request<Session>('POST', '/auth/login', {
    body: { email, password } satisfies LoginRequest,
    allowUnauthorized: true,
  });
  setCsrfToken(data.csrfToken);
  return data;
}

export async function logout(): Promise<void> {
  try {
    await send<void>('POST', '/auth/logout', { allowUnauthorized: true });
  } finally {
    setCsrfToken(null);
  }
}
