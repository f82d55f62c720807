import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigFileError } from './errors.ts';

/** What `login` saves: the portal and a personal access token. */
export interface SavedConfig {
  url: string;
  token: string;
}

export function configFilePath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'streamgate', 'config.json');
}

/** The saved config, `null` when there is none; `warning` when the file is readable by others. */
export async function readConfigFile(
  path: string,
): Promise<{ config: SavedConfig | null; warning: string | null }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: null, warning: null };
    throw new ConfigFileError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never quote the file: it holds a token.
    throw new ConfigFileError(`${path} is not valid JSON; run 'streamgate-cli login' again.`);
  }
  const record = parsed as Partial<Record<keyof SavedConfig, unknown>> | null;
  if (typeof record?.url !== 'string' || typeof record.token !== 'string') {
    throw new ConfigFileError(`${path} has no "url" and "token"; run 'streamgate-cli login' again.`);
  }
  const mode = (await stat(path)).mode & 0o777;
  const warning =
    (mode & 0o077) !== 0
      ? `${path} is readable by other users (mode ${mode.toString(8)}); run 'chmod 600 ${path}'.`
      : null;
  return { config: { url: record.url, token: record.token }, warning };
}

/** Written to a temporary file created 0600 and renamed, so the token is never briefly readable. */
export async function writeConfigFile(path: string, config: SavedConfig): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'w' });
    await chmod(temporary, 0o600); // in case a stale temporary file already existed with another mode
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new ConfigFileError(`Cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, {
      cause: error,
    });
  }
}

/** `true` when there was a file to remove. */
export async function removeConfigFile(path: string): Promise<boolean> {
  try {
    await rm(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new ConfigFileError(`Cannot remove ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`, {
      cause: error,
    });
  }
}
