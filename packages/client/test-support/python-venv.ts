// Python virtualenvs for the interoperability tests: the official quixstreams 3.x, and the legacy
// quixstreams 0.5.x (QuixStreamingClient, a C# core with librdkafka 1.9.2 inside) in its own.
// Idempotent and cached: created once under .tools/, reused while its marker matches.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The quixstreams release the tests are written against (newest 3.x at the time). */
export const quixstreamsRequirement = 'quixstreams==3.28.1';

/**
 * The last release of the legacy package. Its pinned pandas 1.5.3 breaks on numpy 2 at import,
 * and the package does not say so: hence the pin beside it.
 */
export const legacyQuixstreamsRequirements = ['quixstreams==0.5.7', 'numpy<2'];

const repoRoot = resolve(import.meta.dirname, '../../..');
export const venvDir = process.env.STREAMGATE_PYENV ?? join(repoRoot, '.tools', 'pyenv');
export const legacyVenvDir = process.env.STREAMGATE_LEGACY_PYENV ?? join(repoRoot, '.tools', 'pyenv-quix05');

async function create(dir: string, requirements: string[]): Promise<string> {
  const python = join(dir, 'bin', 'python');
  const marker = join(dir, '.streamgate-requirements');
  const wanted = requirements.join('\n');
  if (existsSync(python) && existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return python;
  const base = process.env.PYTHON ?? 'python3';
  if (!existsSync(python)) await run(base, ['-m', 'venv', dir], { timeout: 120_000 });
  await run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...requirements], {
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  writeFileSync(marker, wanted);
  return python;
}

const pending = new Map<string, Promise<string>>();

/** A venv at `dir` with exactly these pinned requirements (created once, cached); its python's path. */
export function ensurePythonRequirements(dir: string, requirements: string[]): Promise<string> {
  let promise = pending.get(dir);
  if (!promise) {
    promise = create(dir, requirements).catch((error: unknown) => {
      pending.delete(dir);
      throw error;
    });
    pending.set(dir, promise);
  }
  return promise;
}

/** The path of the venv's python, with quixstreams 3.x installed. */
export function ensurePythonVenv(): Promise<string> {
  return ensurePythonRequirements(venvDir, [quixstreamsRequirement]);
}

/** The path of the legacy venv's python, with quixstreams 0.5.7 (QuixStreamingClient) installed. */
export function ensureLegacyPythonVenv(): Promise<string> {
  return ensurePythonRequirements(legacyVenvDir, legacyQuixstreamsRequirements);
}
