// A Python virtualenv with the official quixstreams package, for the interoperability tests.
// Idempotent and cached: created once under .tools/pyenv, reused while its marker matches.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The quixstreams release the tests are written against (newest 3.x at the time). */
export const quixstreamsRequirement = 'quixstreams==3.28.1';

const repoRoot = resolve(import.meta.dirname, '../../..');
export const venvDir = process.env.STREAMGATE_PYENV ?? join(repoRoot, '.tools', 'pyenv');
const marker = join(venvDir, '.streamgate-requirements');

let pending: Promise<string> | null = null;

async function create(): Promise<string> {
  const python = join(venvDir, 'bin', 'python');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === quixstreamsRequirement) {
    return python;
  }
  const base = process.env.PYTHON ?? 'python3';
  if (!existsSync(python)) await run(base, ['-m', 'venv', venvDir], { timeout: 120_000 });
  await run(
    python,
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', quixstreamsRequirement],
    {
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  writeFileSync(marker, quixstreamsRequirement);
  return python;
}

/** The path of the venv's python, with quixstreams installed. */
export function ensurePythonVenv(): Promise<string> {
  pending ??= create().catch((error: unknown) => {
    pending = null;
    throw error;
  });
  return pending;
}
