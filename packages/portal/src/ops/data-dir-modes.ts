import { chmodSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config.ts';

/**
 * The data dir holds secrets: the generated secret key (it decrypts every token value and
 * signing key), the Kafka admin's password, and the database (token hashes, sealed values,
 * password hashes). Each must be readable by the portal's user alone (0600).
 *
 * At start: a key file that group or others can read is refused (it may already have leaked:
 * fix the mode and consider a new key); a database file is tightened to 0600 with a warning,
 * since older versions created it with the umask's mode.
 */
const refusedFiles = ['secret.key', 'kafka-admin.json', join('kafka', 'kafka-admin.json')];
const tightenedFiles = ['portal.db', 'portal.db-wal', 'portal.db-shm'];

export interface ModeWarning {
  path: string;
  mode: string;
}

export function checkDataDirModes(dataDir: string): ModeWarning[] {
  const exposed = (path: string) => existsSync(path) && (statSync(path).mode & 0o077) !== 0;
  const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
  for (const name of refusedFiles) {
    const path = join(dataDir, name);
    if (exposed(path)) {
      throw new ConfigError(
        `${path} holds a secret but is readable by other users (mode ${modeOf(path)}): run 'chmod 600 ${path}', and consider it leaked.`,
      );
    }
  }
  const warnings: ModeWarning[] = [];
  for (const name of tightenedFiles) {
    const path = join(dataDir, name);
    if (exposed(path)) {
      warnings.push({ path, mode: modeOf(path) });
      chmodSync(path, 0o600);
    }
  }
  return warnings;
}
