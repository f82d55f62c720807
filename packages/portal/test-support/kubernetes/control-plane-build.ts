// Builds the three binaries of a test control plane (etcd, kube-apiserver,
// kube-controller-manager) from the Go module proxy, once per version: they are cached outside
// the clone, in ~/.cache/streamgate/kubernetes/<versions>/, like the Kafka jars in ~/.m2. The
// first build takes ~11 minutes on two cores; every later run finds the binaries.
// Run directly (`node packages/portal/test-support/kubernetes/control-plane-build.ts`) to build.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const kubernetesVersion = 'v1.34.2';
export const etcdVersion = 'v3.6.16';
/** The staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>. */
const stagingVersion = kubernetesVersion.replace(/^v1\./, 'v0.');

export interface ControlPlaneBinaries {
  dir: string;
  etcd: string;
  kubeApiserver: string;
  kubeControllerManager: string;
}

function cacheRoot(): string {
  if (process.env.STREAMGATE_CACHE_DIR) return process.env.STREAMGATE_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'streamgate');
}

export function binariesDir(): string {
  return join(cacheRoot(), 'kubernetes', `${kubernetesVersion}-etcd-${etcdVersion}`);
}

function binariesIn(dir: string): ControlPlaneBinaries {
  return {
    dir,
    etcd: join(dir, 'etcd'),
    kubeApiserver: join(dir, 'kube-apiserver'),
    kubeControllerManager: join(dir, 'kube-controller-manager'),
  };
}

function goBinary(): string {
  if (process.env.STREAMGATE_GO) return process.env.STREAMGATE_GO;
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the build lock (a file holding the builder's pid): two test files, or the setup step
 * and a test, never build at once. A lock whose process is gone is taken over.
 */
async function withLock<T>(lockPath: string, done: () => boolean, work: () => Promise<T>): Promise<T | null> {
  const deadline = Date.now() + 45 * 60_000;
  for (;;) {
    if (done()) return null;
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      try {
        return await work();
      } finally {
        await rm(lockPath, { force: true });
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(await readFile(lockPath, 'utf8').catch(() => ''));
    const age = await stat(lockPath).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    // An empty lock younger than a few seconds is a builder still writing its pid.
    if ((holder > 0 && !isAlive(holder)) || (!holder && age > 10_000)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for the control-plane build lock ${lockPath}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** The binaries, built first if the cache does not have them. Throws (never skips) when impossible. */
export async function ensureControlPlaneBinaries(
  log: (line: string) => void = () => {},
): Promise<ControlPlaneBinaries> {
  const dir = binariesDir();
  const complete = () => existsSync(join(dir, '.complete'));
  if (complete()) return binariesIn(dir);
  await mkdir(join(cacheRoot(), 'kubernetes'), { recursive: true });
  await withLock(`${dir}.lock`, complete, async () => {
    const started = Date.now();
    log(
      `building etcd ${etcdVersion}, kube-apiserver and kube-controller-manager ${kubernetesVersion} (~11 min once)`,
    );
    await build(dir, log).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `Could not build the Kubernetes test control plane with ${goBinary()} from the Go module proxy: ${
          error.stderr?.slice(-4000) || error.message
        }`,
        { cause: error },
      );
    });
    log(`control plane built in ${((Date.now() - started) / 1000).toFixed(0)} s into ${dir}`);
  });
  if (!complete()) throw new Error(`the control-plane build finished without ${dir}/.complete`);
  return binariesIn(dir);
}

async function build(dir: string, log: (line: string) => void): Promise<void> {
  const scratch = `${dir}.tmp-${process.pid}`;
  await rm(scratch, { recursive: true, force: true });
  const env = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
  const go = async (cwd: string, args: string[]) => {
    const timed = Date.now();
    const result = await run(goBinary(), args, { cwd, env, maxBuffer: 64 << 20, timeout: 40 * 60_000 });
    log(`  go ${args.slice(0, 2).join(' ')} (${((Date.now() - timed) / 1000).toFixed(0)} s)`);
    return result;
  };
  try {
    const bin = join(scratch, 'bin');
    await mkdir(bin, { recursive: true });

    // etcd's own module has replace directives, so `go install` refuses it: a wrapper module
    // that only requires it builds the server command without them.
    const etcdDir = join(scratch, 'etcd');
    await mkdir(etcdDir);
    await writeFile(
      join(etcdDir, 'go.mod'),
      `module streamgate.test/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 ${etcdVersion}\n`,
    );
    await writeFile(
      join(etcdDir, 'tools.go'),
      '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n',
    );
    await go(etcdDir, ['mod', 'tidy']);
    await go(etcdDir, [
      'build',
      '-trimpath',
      '-ldflags',
      '-s -w',
      '-o',
      join(bin, 'etcd'),
      'go.etcd.io/etcd/server/v3',
    ]);

    // k8s.io/kubernetes points its staging modules at ./staging; the wrapper replaces each with
    // its published version, read from that version's own go.mod.
    const kubeDir = join(scratch, 'kubernetes');
    await mkdir(kubeDir);
    const { stdout } = await go(kubeDir, [
      'mod',
      'download',
      '-json',
      `k8s.io/kubernetes@${kubernetesVersion}`,
    ]);
    const kubeGoMod = readFileSync((JSON.parse(stdout) as { GoMod: string }).GoMod, 'utf8');
    const staging = [...kubeGoMod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\//gm)].map(
      (m) => m[1]!,
    );
    if (staging.length < 10)
      throw new Error(`found only ${staging.length} staging modules in k8s.io/kubernetes's go.mod`);
    await writeFile(
      join(kubeDir, 'go.mod'),
      [
        'module streamgate.test/kubernetes',
        '',
        'go 1.24',
        '',
        `require k8s.io/kubernetes ${kubernetesVersion}`,
        '',
        'replace (',
        ...staging.map((module) => `\t${module} => ${module} ${stagingVersion}`),
        ')',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(kubeDir, 'tools.go'),
      '//go:build tools\n\npackage tools\n\nimport (\n\t_ "k8s.io/kubernetes/cmd/kube-apiserver"\n\t_ "k8s.io/kubernetes/cmd/kube-controller-manager"\n)\n',
    );
    await go(kubeDir, ['mod', 'tidy']);
    // Without a version the binaries call themselves v0.0.0-master, which clients refuse to parse.
    const [, minor] = /^v1\.(\d+)\./.exec(kubernetesVersion)!;
    const versionFlags = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${kubernetesVersion}`,
      `-X ${pkg}.gitMajor=1`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ]);
    for (const command of ['kube-apiserver', 'kube-controller-manager']) {
      await go(kubeDir, [
        'build',
        '-trimpath',
        '-ldflags',
        ['-s', '-w', ...versionFlags].join(' '),
        '-o',
        join(bin, command),
        `k8s.io/kubernetes/cmd/${command}`,
      ]);
    }
    await writeFile(join(bin, '.complete'), `${new Date().toISOString()}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(bin, dir);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const started = Date.now();
  const binaries = await ensureControlPlaneBinaries((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${binaries.dir} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
}
