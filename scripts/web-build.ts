// Builds the web UI when its output is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const webDir = resolve(import.meta.dirname, '../packages/web');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export async function buildWebIfStale(): Promise<void> {
  const built = join(webDir, 'dist', 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts', 'package.json', 'public']
    .map((name) => join(webDir, name))
    .filter((path) => existsSync(path));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  process.stdout.write('streamgate: building the web UI ...\n');
  const result = spawnSync('npm', ['run', 'build', '--silent', '-w', 'packages/web'], {
    cwd: resolve(webDir, '../..'),
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the web UI failed to build');
}
