// Runs the interop scripts with the venv's python, in a scratch directory (quixstreams writes a
// state/ folder into its working directory), with only the environment given.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLegacyPythonVenv, ensurePythonVenv } from './python-venv.ts';

const interopDir = new URL('../interop/', import.meta.url).pathname;

/** JSON text where bigints are exact integers (what Python's json reads as int). */
export function jsonWithBigInts(value: unknown): string {
  const raw = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? raw(v.toString()) : v));
}

export async function runPython(
  script: string,
  args: string[],
  options: {
    input?: string;
    env?: Record<string, string>;
    timeoutMs?: number;
    /** Run with the legacy quixstreams 0.5.7 venv (QuixStreamingClient) instead of 3.x. */
    legacy?: boolean;
  } = {},
): Promise<string> {
  const python = await (options.legacy ? ensureLegacyPythonVenv() : ensurePythonVenv());
  const cwd = mkdtempSync(join(tmpdir(), 'streamgate-py-'));
  try {
    return await new Promise<string>((resolve, reject) => {
      const child = execFile(
        python,
        [join(interopDir, script), ...args],
        {
          cwd,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? cwd,
            PYTHONWARNINGS: 'ignore',
            ...options.env,
          },
          timeout: options.timeoutMs ?? 180_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error)
            reject(new Error(`${script} ${args.join(' ')} failed: ${error.message}\n${stderr.slice(-4000)}`));
          else resolve(stdout);
        },
      );
      child.stdin?.end(options.input ?? '');
    });
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
