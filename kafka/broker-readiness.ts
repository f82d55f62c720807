// Waiting for what the broker depends on (the JWKS) and for the broker itself.

import { get } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectionOptions } from 'node:tls';
import { Admin } from '@platformatic/kafka';

/**
 * Kafka fetches the JWKS once while starting and exits ("Could not refresh JWKS" / Connection
 * refused) when it cannot, so the portal (or a test's JWKS server) must answer first.
 */
export async function waitForJwks(url: string, deadline: number, ca?: string): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const status = ca ? await httpsStatus(url, ca) : await fetchStatus(url);
      if (status >= 200 && status < 300) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last =
        (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : String(error);
    }
    await sleep(250);
  }
  throw new Error(
    `The JWKS at ${url} did not answer (${last}). Kafka refuses to start without it: start the portal (or whatever serves the JWKS) first.`,
  );
}

async function fetchStatus(url: string): Promise<number> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.body?.cancel();
  return response.status;
}

/** An https GET that trusts `ca` alone (global fetch takes no CA of its own). */
function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = get(url, { ca, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => reject(new Error('request failed', { cause: error })));
  });
}

export interface ReadinessProbe {
  bootstrap: string;
  username: string;
  password: string;
  deadline: number;
  /** Rejects the wait as soon as the broker process is gone. */
  exited: Promise<unknown>;
  /** For a SASL_SSL listener: how to verify it. */
  tls?: ConnectionOptions;
}

export class BrokerCredentialsError extends Error {}

/** Resolves once an admin metadata call over SCRAM succeeds, which needs every listener up. */
export async function waitForBroker({
  bootstrap,
  username,
  password,
  deadline,
  exited,
  tls,
}: ReadinessProbe): Promise<void> {
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  let last: unknown = null;
  while (!dead && Date.now() < deadline) {
    const admin = new Admin({
      clientId: 'streamgate-kafka-readiness',
      bootstrapBrokers: [bootstrap],
      sasl: { mechanism: 'SCRAM-SHA-512', username, password },
      ...(tls ? { tls } : {}),
      connectTimeout: 1000,
      requestTimeout: 3000,
      retries: 0,
    });
    try {
      await admin.listTopics();
      return;
    } catch (error) {
      last = error;
      if (isAuthenticationFailure(error)) {
        throw new BrokerCredentialsError(
          `The broker rejected the admin credentials for "${username}". SCRAM credentials are set only when the data dir is formatted: use the user and password it was first started with, or a new data dir.`,
          { cause: error },
        );
      }
    } finally {
      await admin.close().catch(() => {});
    }
    await sleep(250);
  }
  if (dead) throw new Error('The broker process exited while starting.');
  throw new Error(
    `The broker did not become ready in time (last error: ${(last as Error)?.message ?? 'none'}).`,
    {
      cause: last,
    },
  );
}

function isAuthenticationFailure(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 10) return false;
  const e = error as Error & { code?: string; apiId?: string; errors?: unknown[] };
  if (e.code === 'PLT_KFK_AUTHENTICATION' || e.apiId === 'SASL_AUTHENTICATION_FAILED') return true;
  return [...(e.errors ?? []), e.cause].some((inner) => isAuthenticationFailure(inner, depth + 1));
}
