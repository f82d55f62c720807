import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WEB_DIR } from './paths.ts';

/** The portal serves packages/web/dist; build it once if it is not there. */
export function ensureDist(): void {
  if (existsSync(join(WEB_DIR, 'dist', 'index.html')) && !process.env.E2E_REBUILD) return;
  const require = createRequire(join(WEB_DIR, 'package.json'));
  const vite = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
}
