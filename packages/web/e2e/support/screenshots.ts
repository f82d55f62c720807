import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOT_DIR } from './paths.ts';

/** Saves what the user sees into docs/screenshots/<name>.png (viewport only, not the full page). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Let transitions (modals, tabs) settle so that the picture shows the resting state.
  // Toasts from earlier steps would cover the page: dismiss them for a clean picture.
  for (const close of await page.getByRole('button', { name: 'Dismiss notification' }).all()) {
    await close.click({ timeout: 1000 }).catch(() => {});
  }
  await page.getByRole('button', { name: 'Dismiss notification' }).first().waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled', caret: 'hide' });
}
