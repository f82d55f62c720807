// Fetches the broker's jars from Maven Central (through `mvn`, into the default ~/.m2 cache) and
// copies them to kafka/libs. The copy is redone only when kafka/pom.xml changed, so a normal start
// costs one hash of a small file.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const kafkaDir = dirname(fileURLToPath(import.meta.url));
export const pomPath = join(kafkaDir, 'pom.xml');
export const log4jConfigPath = join(kafkaDir, 'log4j2.properties');
const libsDir = join(kafkaDir, 'libs');
const stampName = '.pom-sha256';

/** Returns the directory holding every jar the broker needs, fetching them first if needed. */
export async function ensureKafkaJars(): Promise<string> {
  const pomHash = createHash('sha256')
    .update(await readFile(pomPath))
    .digest('hex');
  if (await isCurrent(libsDir, pomHash)) return libsDir;

  // One fetcher at a time (test files run in parallel): the others wait, then find the stamp. The
  // lock lives inside the git-ignored libs dir; Java's `libs/*` classpath only picks up *.jar.
  await mkdir(libsDir, { recursive: true });
  const lockName = '.fetch-lock';
  const release = await lock(join(libsDir, lockName));
  try {
    if (await isCurrent(libsDir, pomHash)) return libsDir;
    // Start empty (jars of an older pom must not stay on the classpath); the stamp is written
    // last, so an interrupted fetch is simply redone next time.
    for (const entry of await readdir(libsDir)) {
      if (entry !== lockName) await rm(join(libsDir, entry), { recursive: true, force: true });
    }
    await runMaven(libsDir);
    await writeFile(join(libsDir, stampName), `${pomHash}\n`);
    return libsDir;
  } finally {
    await release();
  }
}

/** A lock directory; one left behind by a killed process is taken over after ten minutes. */
async function lock(path: string): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(path);
      return () => rm(path, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 10 * 60_000) await rm(path, { recursive: true, force: true });
      else await sleep(500);
    }
  }
}

async function isCurrent(dir: string, pomHash: string): Promise<boolean> {
  try {
    const stamp = (await readFile(join(dir, stampName), 'utf8')).trim();
    if (stamp !== pomHash) return false;
    // The stamp alone does not prove the jars are still there (someone may have cleaned them).
    const jars = await readdir(dir);
    return jars.some((name) => name.startsWith('kafka_2.13-') && name.endsWith('.jar'));
  } catch {
    return false;
  }
}

function runMaven(outputDirectory: string): Promise<void> {
  const args = [
    '-B',
    '-q',
    '-f',
    pomPath,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDirectory}`,
    '-DincludeScope=runtime',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { cwd: kafkaDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      // Maven's own output is small with -q; keep the end, which holds the reason of a failure.
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ENOENT' ? ' (is Maven installed and on PATH?)' : '';
      reject(
        new Error(`Could not run mvn to fetch the Kafka jars${hint}: ${error.message}`, { cause: error }),
      );
    });
    child.on('close', async (code, signal) => {
      if (code === 0 && (await hasJars(outputDirectory))) return resolve();
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      reject(new Error(`mvn ${args.join(' ')} ${how}:\n${output.trim()}`));
    });
  });
}

async function hasJars(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).some((name) => name.endsWith('.jar'));
  } catch {
    return false;
  }
}
