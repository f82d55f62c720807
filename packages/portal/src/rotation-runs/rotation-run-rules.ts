import { readyCurrentReplicas } from '../deployments/instance-plan.ts';
import type {
  DeploymentRecord,
  RotationClient,
  RotationRunMode,
  RotationStep,
  RotationStepName,
  TokenUsageRecord,
} from '../storage/storage.ts';

/**
 * The rules of a rotation run, without I/O: which steps a mode has, when a deployment has left
 * a token, and when Token 1 counts as quiet. The executor applies them one step at a time.
 */
export const stepsOf: Record<RotationRunMode, RotationStepName[]> = {
  'zero-downtime': ['move-deployments', 'wait-quiet', 'rotate', 'restart-deployments'],
  'restart-deployments': ['rotate', 'restart-deployments'],
};

export function newStep(name: RotationStepName): RotationStep {
  return {
    name,
    state: 'pending',
    startedAt: null,
    endedAt: null,
    detail: null,
    deployments: [],
    clients: [],
    quietUntil: null,
  };
}

/** Whether any instance (stopping ones included: they still hold the token) runs with `tokenId`. */
export function runsOn(deployment: DeploymentRecord, tokenId: string): boolean {
  return deployment.observed.instances.some((instance) => instance.tokenId === tokenId);
}

/** Deployments that hold a token: set to run with it, or with an instance still running on it. */
export function deploymentsOn(deployments: readonly DeploymentRecord[], tokenId: string): DeploymentRecord[] {
  return deployments.filter((d) => d.tokenId === tokenId || runsOn(d, tokenId));
}

/**
 * A deployment has left `fromTokenId` when no instance of it runs with that token any more and
 * it is as up as it will get on its own token: every replica ready, or not meant to run, or
 * ended on its own (completed, or crash-looping, which is its own matter, not the token's).
 */
export function hasLeft(deployment: DeploymentRecord, fromTokenId: string): boolean {
  if (runsOn(deployment, fromTokenId) || deployment.tokenId === fromTokenId) return false;
  if (deployment.desiredState === 'stopped') return true;
  const ready = readyCurrentReplicas(
    { ...deployment, replicas: deployment.spec.replicas },
    deployment.observed.instances.map((instance) => ({ ...instance, ready: instance.readyAt !== null })),
  );
  if (ready >= deployment.spec.replicas) return true;
  return deployment.observed.status === 'Completed' || deployment.observed.status === 'Error';
}

/** When the newest ready instance on the deployment's token became ready (its downtime ends there). */
export function readySince(deployment: DeploymentRecord): number | null {
  const times = deployment.observed.instances
    .filter((instance) => instance.tokenId === deployment.tokenId && instance.readyAt !== null)
    .map((instance) => Date.parse(instance.readyAt!));
  return times.length > 0 ? Math.max(...times) : null;
}

export interface QuietVerdict {
  verdict: 'unused' | 'in-use';
  /** Clients that used the token within the window, newest first. */
  clients: RotationClient[];
  /** When the token counts as quiet if nothing uses it again (null: it is quiet now). */
  quietUntil: Date | null;
  summary: string;
}

/**
 * The portal's one definition of "in use" (the UI and the CLI show it as it is): a deployment
 * runs with the token, or anything used it (a portal request or a broker JWT mint) within the
 * last `quietSeconds`. The default window is the broker JWT lifetime: a connected client must
 * come back for a new JWT before its JWT expires, so a token unused for that long has no client
 * holding a live broker session with it.
 */
export function quietVerdict(input: {
  usage: readonly TokenUsageRecord[];
  deploymentsOnToken: readonly DeploymentRecord[];
  quietSeconds: number;
  now: Date;
}): QuietVerdict {
  const windowStart = input.now.getTime() - input.quietSeconds * 1000;
  const recent = input.usage
    .filter((use) => use.lastUsedAt.getTime() > windowStart)
    .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  const clients = recent.map((use) => ({
    userAgent: use.userAgent,
    address: use.address,
    deploymentId: use.deploymentId,
    lastUsedAt: use.lastUsedAt.toISOString(),
  }));
  const latest = recent[0]?.lastUsedAt.getTime();
  const quietUntil = latest === undefined ? null : new Date(latest + input.quietSeconds * 1000);
  const names = input.deploymentsOnToken.map((d) => d.name);
  if (names.length === 0 && clients.length === 0) {
    return {
      verdict: 'unused',
      clients,
      quietUntil: null,
      summary: `Nothing used Token 1 in the last ${input.quietSeconds} s and no deployment runs on it: rotating now cuts nobody off.`,
    };
  }
  const parts: string[] = [];
  if (names.length > 0)
    parts.push(
      `${names.length} deployment(s) run on Token 1 (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
    );
  if (clients.length > 0)
    parts.push(
      `${clients.length} client(s) used ${names.length > 0 ? 'it' : 'Token 1'} in the last ${input.quietSeconds} s (last at ${new Date(latest!).toISOString()})`,
    );
  return {
    verdict: 'in-use',
    clients,
    quietUntil,
    summary: `${parts.join('; ')}: rotating now would cut them off.`,
  };
}

/** Clients of the token that are not one of the workspace's deployments (those the run moves itself). */
export function outsideClients(
  clients: readonly RotationClient[],
  deployments: readonly DeploymentRecord[],
): RotationClient[] {
  const ids = new Set(deployments.map((d) => d.deploymentId));
  return clients.filter((client) => client.deploymentId === null || !ids.has(client.deploymentId));
}
