import { fileURLToPath } from 'node:url';

export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const REPO_DIR = fileURLToPath(new URL('../../../../', import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../../docs/screenshots/', import.meta.url));
export const PORTAL_HELPER = fileURLToPath(
  new URL('../../../portal/test-support/portal-process.ts', import.meta.url),
);
