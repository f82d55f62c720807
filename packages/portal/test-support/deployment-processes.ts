import { readdirSync, readFileSync } from 'node:fs';

/**
 * The deployments' real processes, found the way an operator would: every live process whose
 * initial environment names a deployment (`Quix__Deployment__Id`). Read straight from /proc, so
 * a test's count does not trust the runner's own bookkeeping.
 */
export interface DeploymentProcess {
  pid: number;
  deploymentId: string;
  replicaName: string;
  /** The streaming token it was started with (`Quix__Sdk__Token`). */
  token: string;
  /** The marker of the runner that started it (`STREAMGATE_RUNNER_ID`). */
  runnerMarker: string;
}

/** A zombie (exited, not yet reaped by whoever inherited it) is not a live process. */
function isLive(pid: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

function environmentOf(pid: string): Map<string, string> | null {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const env = new Map<string, string>();
    for (const entry of entries) {
      const at = entry.indexOf('=');
      if (at > 0) env.set(entry.slice(0, at), entry.slice(at + 1));
    }
    return env;
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

export function deploymentProcesses(): DeploymentProcess[] {
  const found: DeploymentProcess[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const env = environmentOf(pid);
    const deploymentId = env?.get('Quix__Deployment__Id');
    if (!env || deploymentId === undefined || !isLive(pid)) continue;
    found.push({
      pid: Number(pid),
      deploymentId,
      replicaName: env.get('Quix__Deployment__ReplicaName') ?? '',
      token: env.get('Quix__Sdk__Token') ?? '',
      runnerMarker: env.get('STREAMGATE_RUNNER_ID') ?? '',
    });
  }
  return found;
}

/** SIGKILLs every live process of these deployments (each is its own process group's leader). */
export function killDeploymentProcesses(deploymentIds: ReadonlySet<string>): number {
  let killed = 0;
  for (const found of deploymentProcesses()) {
    if (!deploymentIds.has(found.deploymentId)) continue;
    for (const target of [-found.pid, found.pid]) {
      try {
        process.kill(target, 'SIGKILL');
        killed++;
        break;
      } catch {
        // not a group leader, or gone already
      }
    }
  }
  return killed;
}
