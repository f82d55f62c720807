import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../stack.ts';
import { ensureControlPlaneBinaries } from './control-plane-build.ts';

const run = promisify(execFile);

/**
 * A throwaway Kubernetes control plane on loopback: etcd, kube-apiserver (RBAC on, a test CA,
 * a static admin token, service-account tokens signed by a key made here) and
 * kube-controller-manager, so Deployments get ReplicaSets and pods and namespaces can be deleted.
 * No scheduler and no kubelet run: pods stay Pending unless a test marks them ready
 * (pod-readiness.ts). The binaries come from control-plane-build.ts, built once and cached.
 */
export interface ControlPlane {
  server: string;
  caPem: string;
  /** A token of `admin` in system:masters. */
  adminToken: string;
  /** A kubeconfig file for the admin. */
  adminKubeconfig: string;
  /** A kubeconfig file for this bearer token (e.g. a service account's). */
  kubeconfigFor(name: string, token: string): string;
  /** The admin's request to the API: the answer's status and parsed body. */
  api(
    method: string,
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startControlPlane(): Promise<ControlPlane> {
  const binaries = await ensureControlPlaneBinaries((line) =>
    process.stderr.write(`control plane: ${line}\n`),
  );
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-kube-'));
  const children: ChildProcess[] = [];
  const killAll = () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  // A test file stopped by the runner (timeout, Ctrl-C) must not leave an apiserver behind.
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', killAll);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const stop = async () => {
    // A graceful apiserver shutdown takes seconds; nothing here needs to survive.
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    process.removeListener('exit', killAll);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const file = (name: string) => join(dir, name);
    const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=streamgate-test-ca',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
    ]);
    await openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=kube-apiserver',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      'apiserver.key',
      '-out',
      'apiserver.crt',
    ]);
    await openssl(['genrsa', '-out', 'sa.key', '2048']);
    await openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub']);
    const adminToken = randomBytes(24).toString('hex');
    writeFileSync(file('tokens.csv'), `${adminToken},admin,admin,"system:masters"\n`, { mode: 0o600 });

    const [etcdClient, etcdPeer, securePort] = [await freePort(), await freePort(), await freePort()];
    const start = (name: string, binary: string, args: string[]) => {
      const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      let tail = '';
      child.stderr!.on('data', (chunk: Buffer) => {
        tail = (tail + chunk.toString()).slice(-8000);
      });
      child.once('exit', (code, signal) => {
        if (signal !== 'SIGKILL')
          process.stderr.write(`control plane: ${name} exited (${code ?? signal})\n${tail}\n`);
      });
      children.push(child);
      return { child, tail: () => tail };
    };
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const peerUrl = `http://127.0.0.1:${etcdPeer}`;
    start('etcd', binaries.etcd, [
      `--data-dir=${file('etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--unsafe-no-fsync',
      '--log-level=error',
    ]);
    const apiserver = start('kube-apiserver', binaries.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${securePort}`,
      `--tls-cert-file=${file('apiserver.crt')}`,
      `--tls-private-key-file=${file('apiserver.key')}`,
      `--client-ca-file=${file('ca.crt')}`,
      `--token-auth-file=${file('tokens.csv')}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      '--allow-privileged=true',
      '--disable-admission-plugins=ServiceAccount',
      '--service-account-issuer=https://kubernetes.default.svc',
      `--service-account-key-file=${file('sa.pub')}`,
      `--service-account-signing-key-file=${file('sa.key')}`,
      `--cert-dir=${file('certs')}`,
    ]);
    const server = `https://127.0.0.1:${securePort}`;
    const caPem = readFileSync(file('ca.crt'), 'utf8');
    const api: ControlPlane['api'] = (method, path, body, contentType = 'application/json') =>
      new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          `${server}${path}`,
          {
            method,
            ca: caPem,
            headers: {
              authorization: `Bearer ${adminToken}`,
              accept: 'application/json',
              ...(payload ? { 'content-type': contentType } : {}),
            },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              text += chunk;
            });
            res.on('end', () => {
              let parsed: unknown = text;
              try {
                parsed = JSON.parse(text);
              } catch {}
              resolve({ status: res.statusCode ?? 0, body: parsed });
            });
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await api('GET', '/readyz').catch(() => null);
      if (ready?.status === 200) break;
      if (apiserver.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`kube-apiserver did not become ready:\n${apiserver.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const kubeconfigFor = (name: string, token: string) => {
      const path = file(`${name}.kubeconfig`);
      const ca = Buffer.from(caPem).toString('base64');
      writeFileSync(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: test, cluster: {server: "${server}", certificate-authority-data: "${ca}"}}]`,
          `users: [{name: ${name}, user: {token: "${token}"}}]`,
          `contexts: [{name: ${name}, context: {cluster: test, user: ${name}}}]`,
          `current-context: ${name}`,
          '',
        ].join('\n'),
        { mode: 0o600 },
      );
      return path;
    };
    const adminKubeconfig = kubeconfigFor('admin', adminToken);
    start('kube-controller-manager', binaries.kubeControllerManager, [
      `--kubeconfig=${adminKubeconfig}`,
      '--leader-elect=false',
      '--secure-port=0',
      `--service-account-private-key-file=${file('sa.key')}`,
      `--root-ca-file=${file('ca.crt')}`,
      '--controllers=deployment-controller,replicaset-controller,garbage-collector-controller,namespace-controller',
    ]);
    return { server, caPem, adminToken, adminKubeconfig, kubeconfigFor, api, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
