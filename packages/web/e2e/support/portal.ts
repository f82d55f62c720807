import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PORTAL_STACK } from './paths.ts';

export type PortalUnderTest = {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** Whether a real Kafka broker runs behind the portal (topics work). */
  kafka: boolean;
  /** Stops the broker, so that the UI's "broker unavailable" state can be seen. */
  stopKafka(): Promise<void>;
  stop(): Promise<void>;
};

type Stack = {
  portalUrl: string;
  kafkaBootstrap: string | null;
  adminEmail: string;
  adminPassword: string;
  stopKafka(): Promise<void>;
  stop(): Promise<void>;
};
type StackModule = { startStack(opts?: { kafka?: boolean; env?: Record<string, string> }): Promise<Stack> };

/**
 * Starts the real portal (node packages/portal/src/server.ts, fresh data dir, free port) and a
 * real Kafka broker through the portal team's stack helper. E2E_KAFKA=0 or `kafka: false` leaves the
 * broker out; `env` adds portal settings (the process runner, a short broker JWT lifetime).
 * E2E_PORTAL_URL (+ E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD) points the tests at a portal that is
 * already running instead.
 */
export async function startPortal(
  opts: { kafka?: boolean; env?: Record<string, string> } = {},
): Promise<PortalUnderTest> {
  const external = process.env.E2E_PORTAL_URL;
  if (external) {
    return {
      url: external.replace(/\/$/, ''),
      adminEmail: process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com',
      adminPassword: process.env.E2E_ADMIN_PASSWORD ?? 'admin-password',
      kafka: process.env.E2E_KAFKA !== '0',
      stopKafka: async () => {},
      stop: async () => {},
    };
  }
  if (!existsSync(PORTAL_STACK)) {
    throw new Error(`The e2e tests run against the real portal, but ${PORTAL_STACK} does not exist.`);
  }
  const { startStack } = (await import(pathToFileURL(PORTAL_STACK).href)) as StackModule;
  const stack = await startStack({
    kafka: (opts.kafka ?? true) && process.env.E2E_KAFKA !== '0',
    env: opts.env,
  });
  return {
    url: stack.portalUrl,
    adminEmail: stack.adminEmail,
    adminPassword: stack.adminPassword,
    kafka: stack.kafkaBootstrap !== null,
    stopKafka: () => stack.stopKafka(),
    stop: () => stack.stop(),
  };
}
