// Runs interop/legacy_quix.py with the legacy quixstreams 0.5.7 venv (QuixStreamingClient). The
// client logs to stdout itself; the script's own results are the lines starting with "@@ ".
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPython } from './python.ts';
import { ensureLegacyPythonVenv } from './python-venv.ts';

const script = new URL('../interop/legacy_quix.py', import.meta.url).pathname;

export type LegacyResult = Record<string, unknown>;

/** The "@@ " result lines of the script's output, parsed. */
export function legacyResults(output: string): LegacyResult[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('@@ '))
    .map((line) => JSON.parse(line.slice(3)) as LegacyResult);
}

/** Runs one command to its end; resolves with its results. */
export async function runLegacy(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 240_000,
): Promise<LegacyResult[]> {
  return legacyResults(await runPython('legacy_quix.py', args, { env, timeoutMs, legacy: true }));
}

export interface LegacyProcess {
  results(): LegacyResult[];
  /** Everything it printed, the client's own log included. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  kill(): void;
}

/** Starts a long-running command (`loop`), to watch while the test does other things. */
export async function startLegacy(args: string[], env: Record<string, string>): Promise<LegacyProcess> {
  const python = await ensureLegacyPythonVenv();
  const cwd = mkdtempSync(join(tmpdir(), 'streamgate-py-legacy-'));
  const child = spawn(python, [script, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, PYTHONWARNINGS: 'ignore', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      rmSync(cwd, { recursive: true, force: true });
      resolve(code);
    });
  });
  return {
    results: () => legacyResults(output),
    output: () => output,
    exited,
    kill: () => child.kill('SIGKILL'),
  };
}
