import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PORTAL_HELPER } from './paths.ts';

export type PortalProcess = {
  url: string;
  adminEmail: string;
  adminPassword: string;
  dataDir: string;
  stop(): Promise<void>;
};

type Helper = { startPortalProcess(opts?: { env?: Record<string, string> }): Promise<PortalProcess> };

/**
 * Starts the real portal (packages/portal/test-support/portal-process.ts) on a free port with a
 * fresh data directory. E2E_PORTAL_URL (+ E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD) points the tests
 * at a portal that is already running instead.
 */
export async function startPortal(env: Record<string, string> = {}): Promise<PortalProcess> {
  const external = process.env.E2E_PORTAL_URL;
  if (external) {
    return {
      url: external.replace(/\/$/, ''),
      adminEmail: process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com',
      adminPassword: process.env.E2E_ADMIN_PASSWORD ?? 'admin-password',
      dataDir: '',
      stop: async () => {},
    };
  }
  if (!existsSync(PORTAL_HELPER)) {
    throw new Error(`The e2e tests run against the real portal, but ${PORTAL_HELPER} does not exist yet.`);
  }
  const helper = (await import(pathToFileURL(PORTAL_HELPER).href)) as Helper;
  return helper.startPortalProcess({ env });
}
