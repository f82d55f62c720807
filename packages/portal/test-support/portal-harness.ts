import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/app.ts';
import type { Clock } from '../src/clock.ts';
import { loadConfig } from '../src/config.ts';
import type { Role } from '../src/permissions/roles.ts';
import { createPortal, type Portal } from '../src/portal.ts';
import type { Store } from '../src/storage/storage.ts';

export interface Caller {
  /** Headers that authenticate this caller (cookie + CSRF, or a bearer token). */
  headers: Record<string, string>;
  email?: string;
  userId?: string;
}

export interface Harness {
  app: FastifyInstance;
  portal: Portal;
  adminEmail: string;
  adminPassword: string;
  /** Every log line the app wrote, for "no secret in the logs" assertions. */
  logs(): string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  login(email: string, password: string): Promise<Caller>;
  admin(): Promise<Caller>;
  /** A new user with this organisation role, logged in. */
  userWithRole(
    role: Role,
    workspaceRoles?: Record<string, Role>,
  ): Promise<Caller & { email: string; userId: string; password: string }>;
  createWorkspace(workspaceId: string): Promise<void>;
  streamingTokens(workspaceId: string): Promise<{ token1: string; token2: string; etag: string }>;
  rotate(workspaceId: string): Promise<LightMyRequestResponse>;
  createPat(caller: Caller, body: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

const adminPassword = 'admin-password-for-tests';
let counter = 0;

/**
 * A portal in this process, on a temporary SQLite file (or the given store), driven through
 * `app.inject()`. Logs are captured at debug level so tests can check no secret reaches them.
 */
export async function startHarness(
  opts: { store?: Store; clock?: Clock; env?: Record<string, string>; uiDir?: string } = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-test-'));
  const config = loadConfig({
    STREAMGATE_DATA_DIR: dataDir,
    STREAMGATE_ADMIN_EMAIL: 'admin@example.test',
    STREAMGATE_ADMIN_PASSWORD: adminPassword,
    STREAMGATE_PUBLIC_URL: 'http://portal.test',
    ...opts.env,
  });
  const portal = await createPortal(config, { store: opts.store, clock: opts.clock });
  await portal.bootstrap();
  let logText = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logText += chunk.toString();
      done();
    },
  });
  const app = await buildApp(portal, { logger: { level: 'debug', stream }, uiDir: opts.uiDir ?? null });

  const inject = (options: InjectOptions) => app.inject(options);
  const login = async (email: string, password: string): Promise<Caller> => {
    const response = await inject({ method: 'POST', url: '/auth/login', payload: { email, password } });
    if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'sg_session')!;
    return {
      headers: { cookie: `sg_session=${cookie.value}`, 'x-csrf-token': response.json().csrfToken },
      email,
    };
  };
  let adminCaller: Caller | null = null;
  const admin = async () => {
    adminCaller ??= await login('admin@example.test', adminPassword);
    return adminCaller;
  };

  const harness: Harness = {
    app,
    portal,
    adminEmail: 'admin@example.test',
    adminPassword,
    logs: () => logText,
    inject,
    login,
    admin,
    async userWithRole(role, workspaceRoles = {}) {
      const email = `user${++counter}-${role.toLowerCase()}@example.test`;
      const password = `password-${counter}-long-enough`;
      const created = await inject({
        method: 'POST',
        url: '/users',
        headers: (await admin()).headers,
        payload: { email, password, role },
      });
      if (created.statusCode !== 201) throw new Error(`user creation failed: ${created.body}`);
      const userId = created.json().id as string;
      for (const [workspaceId, workspaceRole] of Object.entries(workspaceRoles)) {
        const set = await inject({
          method: 'PUT',
          url: `/workspaces/${workspaceId}/members/${userId}`,
          headers: (await admin()).headers,
          payload: { role: workspaceRole },
        });
        if (set.statusCode !== 200) throw new Error(`member role failed: ${set.body}`);
      }
      return { ...(await login(email, password)), email, userId, password };
    },
    async createWorkspace(workspaceId) {
      const response = await inject({
        method: 'POST',
        url: '/workspaces',
        headers: (await admin()).headers,
        payload: { workspaceId, name: workspaceId },
      });
      if (response.statusCode !== 201) throw new Error(`workspace creation failed: ${response.body}`);
    },
    async streamingTokens(workspaceId) {
      const response = await inject({
        method: 'GET',
        url: `/workspaces/${workspaceId}/streaming-tokens`,
        headers: (await admin()).headers,
      });
      if (response.statusCode !== 200) throw new Error(`tokens failed: ${response.body}`);
      const body = response.json();
      return { token1: body.token1.value, token2: body.token2.value, etag: String(response.headers.etag) };
    },
    async rotate(workspaceId) {
      const { etag } = await harness.streamingTokens(workspaceId);
      return inject({
        method: 'POST',
        url: `/workspaces/${workspaceId}/streaming-tokens/rotate`,
        headers: { ...(await admin()).headers, 'if-match': etag },
      });
    },
    async createPat(caller, body) {
      const response = await inject({
        method: 'POST',
        url: '/profile/tokens',
        headers: caller.headers,
        payload: body,
      });
      if (response.statusCode !== 201)
        throw new Error(`PAT creation failed: ${response.statusCode} ${response.body}`);
      return response.json().token as string;
    },
    async close() {
      await app.close();
      await portal.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
