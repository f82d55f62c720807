// Compiles the broker's PLAIN plugin (kafka/plain-plugin/src, Java) with javac against the Kafka
// jars, once per source and Kafka version: the classes are cached outside the clone (like Maven's
// jars in ~/.m2), in a directory named by the hash of everything that goes into them.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pomPath } from './kafka-jars.ts';

const run = promisify(execFile);
const sourceDir = join(dirname(fileURLToPath(import.meta.url)), 'plain-plugin', 'src');
const javaRelease = '17';

function cacheRoot(): string {
  if (process.env.STREAMGATE_CACHE_DIR) return process.env.STREAMGATE_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'streamgate');
}

async function javaSources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.java'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Returns a directory of compiled classes to put on the broker's classpath, compiling if needed. */
export async function ensurePlainPlugin(libsDir: string): Promise<string> {
  const sources = await javaSources(sourceDir);
  const hash = createHash('sha256');
  // The pom fixes the Kafka version compiled against; the release fixes the bytecode level.
  hash.update(`release ${javaRelease}\n`).update(await readFile(pomPath));
  for (const source of sources) {
    hash.update(`\n${relative(sourceDir, source)}\n`).update(await readFile(source));
  }
  const classesDir = join(cacheRoot(), 'kafka-plain-plugin', hash.digest('hex').slice(0, 32));
  if (existsSync(join(classesDir, '.complete'))) return classesDir;

  // Compile beside the target and rename into place: a parallel test file compiling the same
  // sources either wins the rename or finds the finished directory.
  const scratch = `${classesDir}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(scratch, { recursive: true });
  try {
    const javac = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'javac') : 'javac';
    await run(
      javac,
      ['--release', javaRelease, '-nowarn', '-cp', `${libsDir}/*`, '-d', scratch, ...sources],
      { timeout: 180_000, maxBuffer: 4 * 1024 * 1024 },
    ).catch((error: NodeJS.ErrnoException & { stderr?: string }) => {
      const hint = error.code === 'ENOENT' ? ' (is a JDK 17+ installed, with javac on PATH?)' : '';
      throw new Error(`Could not compile the Kafka PLAIN plugin${hint}: ${error.stderr || error.message}`, {
        cause: error,
      });
    });
    await mkdir(join(scratch, '.complete'));
    await rename(scratch, classesDir).catch((error: NodeJS.ErrnoException) => {
      if (!existsSync(join(classesDir, '.complete'))) throw error;
    });
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  return classesDir;
}
