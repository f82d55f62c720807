import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { WEB_DIR } from './paths.ts';

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, entry) => Math.max(max, newest(join(path, entry))), stat.mtimeMs);
}

/** The portal serves packages/web/dist: build it when it is missing or older than the sources. */
export function ensureDist(): void {
  const built = join(WEB_DIR, 'dist', 'index.html');
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json']
    .map((name) => join(WEB_DIR, name))
    .filter((path) => existsSync(path));
  const fresh = existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest));
  if (fresh && !process.env.E2E_REBUILD) return;
  const require = createRequire(join(WEB_DIR, 'package.json'));
  const vite = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: WEB_DIR,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status}`);
}
