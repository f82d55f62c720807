import type { DeploymentRecord, StreamingTokenRecord } from '../storage/storage.ts';
import { isCurrent, readyCurrentReplicas } from './instance-plan.ts';

/** A deployment as the API shows it: secret values left out, the token named by its slot. */
export interface DeploymentView {
  deploymentId: string;
  workspaceId: string;
  name: string;
  image: string | null;
  command: string[];
  workingDirectory: string | null;
  replicas: number;
  variables: Record<string, { value?: string; secret: boolean }>;
  desiredState: 'Running' | 'Stopped';
  status: DeploymentRecord['observed']['status'];
  statusDetail: string | null;
  tokenId: string;
  tokenSlot: 1 | 2 | null;
  runningTokenIds: string[];
  restartRequired: boolean;
  replicasReady: number;
  restartCount: number;
  lastExit: DeploymentRecord['observed']['lastExit'];
  createdAt: Date;
  updatedAt: Date;
}

export function deploymentView(
  deployment: DeploymentRecord,
  pair: { token1: StreamingTokenRecord; token2: StreamingTokenRecord } | null,
): DeploymentView {
  const { spec, observed } = deployment;
  const wanted = { ...deployment, replicas: spec.replicas };
  const live = observed.instances.filter((instance) => !instance.stopping);
  const asSeen = observed.instances.map((instance) => ({ ...instance, ready: instance.readyAt !== null }));
  const tokenSlot =
    pair?.token1.id === deployment.tokenId ? 1 : pair?.token2.id === deployment.tokenId ? 2 : null;
  return {
    deploymentId: deployment.deploymentId,
    workspaceId: deployment.workspaceId,
    name: deployment.name,
    image: spec.image ?? null,
    command: spec.command,
    workingDirectory: spec.workingDirectory,
    replicas: spec.replicas,
    variables: Object.fromEntries(
      Object.entries(spec.variables).map(([name, variable]) => [
        name,
        variable.secret ? { secret: true } : { value: variable.value, secret: false },
      ]),
    ),
    desiredState: deployment.desiredState === 'running' ? 'Running' : 'Stopped',
    status: observed.status,
    statusDetail: observed.statusDetail,
    tokenId: deployment.tokenId,
    tokenSlot,
    runningTokenIds: [...new Set(live.map((instance) => instance.tokenId))],
    restartRequired: live.some(
      (instance) =>
        !isCurrent({ ...instance, ready: instance.readyAt !== null }, wanted) ||
        instance.specVersion !== deployment.specVersion,
    ),
    replicasReady: readyCurrentReplicas(wanted, asSeen),
    restartCount: observed.restartCount,
    lastExit: observed.lastExit,
    createdAt: deployment.createdAt,
    updatedAt: deployment.updatedAt,
  };
}
