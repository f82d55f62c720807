// Small helpers shared by the broker integration tests.
import { setTimeout as sleep } from 'node:timers/promises';

/** Every Kafka error code (apiId) or client error code in @platformatic/kafka's nested error tree. */
export function kafkaErrorIds(error: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (typeof error !== 'object' || error === null || depth > 12) return into;
  const node = error as { code?: unknown; apiId?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof node.apiId === 'string') into.add(node.apiId);
  if (typeof node.code === 'string') into.add(node.code);
  for (const inner of node.errors ?? []) kafkaErrorIds(inner, into, depth + 1);
  kafkaErrorIds(node.cause, into, depth + 1);
  return into;
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the operation to fail, but it succeeded.');
}

/**
 * Polls until `check` returns a value other than undefined. For state that converges
 * asynchronously (an ACL change reaching the authorizer, a reconciler tick), never for timing.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}.`);
}
