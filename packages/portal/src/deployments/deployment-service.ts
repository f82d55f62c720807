import type { DeploymentAction } from '@streamgate/contract';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { BadRequestError, ConflictError, NotFoundError, workspaceNotFound } from '../errors.ts';
import type { Principal } from '../permissions/principal.ts';
import type {
  DeploymentRecord,
  DeploymentSpec,
  DeploymentStorage,
  TokenStorage,
} from '../storage/storage.ts';
import { applyInput, type DeploymentInput } from './deployment-input.ts';
import { sealVariable } from './deployment-secrets.ts';
import { type DeploymentView, deploymentView } from './deployment-view.ts';
import type { DeploymentRunner } from './runner.ts';

export interface CreateDeploymentInput extends DeploymentInput {
  name: string;
  command: string[];
  tokenSlot?: 1 | 2;
  start?: boolean;
}

export interface UpdateDeploymentInput extends DeploymentInput {
  tokenSlot?: 1 | 2;
}

export interface DeploymentService {
  list(workspaceId: string): Promise<DeploymentView[]>;
  get(workspaceId: string, deploymentId: string): Promise<DeploymentView>;
  create(
    principal: Principal,
    workspaceId: string,
    input: CreateDeploymentInput,
    address: string | null,
  ): Promise<DeploymentView>;
  update(
    principal: Principal,
    workspaceId: string,
    deploymentId: string,
    input: UpdateDeploymentInput,
    address: string | null,
  ): Promise<DeploymentView>;
  remove(
    principal: Principal,
    workspaceId: string,
    deploymentId: string,
    address: string | null,
  ): Promise<void>;
  act(
    principal: Principal,
    workspaceId: string,
    deploymentId: string,
    action: DeploymentAction,
    address: string | null,
  ): Promise<DeploymentView>;
  /**
   * The last `tail` lines of a deployment's output; with `follow`, those and then every new line
   * until `signal` aborts.
   */
  logs(
    workspaceId: string,
    deploymentId: string,
    options: { tail: number; follow: boolean; signal: AbortSignal },
  ): Promise<string | AsyncIterable<string>>;
}

/** How long a delete waits for the runner to stop the instances before it deletes anyway. */
const deleteWaitMs = 30_000;

/**
 * Deployments are wanted state: this service writes what the user asked for and pokes the
 * runner, which converges. No process is touched here.
 */
export function createDeploymentService(deps: {
  store: DeploymentStorage & TokenStorage;
  box: SecretBox;
  clock: Clock;
  audit: AuditLog;
  runner: () => DeploymentRunner | null;
}): DeploymentService {
  const { store, box, clock, audit } = deps;
  const poke = () => deps.runner()?.poke();

  const workspaceOrFail = async (workspaceId: string) => {
    const pair = await store.activeTokenPair(workspaceId);
    if (!pair) throw workspaceNotFound(workspaceId);
    return pair;
  };
  const found = async (workspaceId: string, deploymentId: string) => {
    const deployment = await store.findDeployment(workspaceId, deploymentId);
    if (!deployment)
      throw new NotFoundError(`Deployment '${deploymentId}' does not exist in workspace '${workspaceId}'.`);
    return deployment;
  };
  /** Kubernetes runs containers: a deployment there needs an image (the process runner ignores it). */
  const checkRunnable = (spec: DeploymentSpec) => {
    if (deps.runner()?.kind === 'kubernetes' && !spec.image)
      throw new BadRequestError('image is required: this portal runs deployments on Kubernetes.');
  };
  /** Names of variables only: values (secret or not) never reach the audit log. */
  const auditDetails = (spec: DeploymentSpec) => ({
    ...(spec.image ? { image: spec.image } : {}),
    command: spec.command[0],
    replicas: spec.replicas,
    variables: Object.keys(spec.variables),
  });

  return {
    async list(workspaceId) {
      const pair = await workspaceOrFail(workspaceId);
      return (await store.listDeployments(workspaceId)).map((d) => deploymentView(d, pair));
    },

    async get(workspaceId, deploymentId) {
      const pair = await workspaceOrFail(workspaceId);
      return deploymentView(await found(workspaceId, deploymentId), pair);
    },

    async create(principal, workspaceId, input, address) {
      const pair = await workspaceOrFail(workspaceId);
      const deploymentId = `dep-${randomId()}`;
      const empty: DeploymentSpec = {
        command: input.command,
        workingDirectory: null,
        variables: {},
        replicas: 1,
      };
      const spec = applyInput(empty, input, (name, value) => sealVariable(box, deploymentId, name, value));
      checkRunnable(spec);
      const now = clock.now();
      const record: DeploymentRecord = {
        deploymentId,
        workspaceId,
        name: input.name,
        spec,
        specVersion: 1,
        desiredState: input.start === false ? 'stopped' : 'running',
        tokenId: input.tokenSlot === 2 ? pair.token2.id : pair.token1.id,
        generation: 1,
        observed: {
          status: input.start === false ? 'Stopped' : 'Starting',
          statusDetail: null,
          restartCount: 0,
          lastExit: null,
          instances: [],
        },
        createdAt: now,
        updatedAt: now,
      };
      if (!(await store.insertDeployment(record)))
        throw new ConflictError(
          `A deployment named '${input.name}' already exists in workspace '${workspaceId}'.`,
        );
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'deployment.create',
        workspaceId,
        target: deploymentId,
        details: {
          name: input.name,
          ...auditDetails(spec),
          tokenId: record.tokenId,
          start: input.start !== false,
        },
        address,
      });
      poke();
      return deploymentView(record, pair);
    },

    async update(principal, workspaceId, deploymentId, input, address) {
      const pair = await workspaceOrFail(workspaceId);
      const current = await found(workspaceId, deploymentId);
      const spec = applyInput(current.spec, input, (name, value) =>
        sealVariable(box, deploymentId, name, value),
      );
      checkRunnable(spec);
      const specChanged =
        input.image !== undefined ||
        input.command !== undefined ||
        input.workingDirectory !== undefined ||
        input.variables !== undefined ||
        input.replicas !== undefined;
      const tokenId =
        input.tokenSlot === undefined ? undefined : input.tokenSlot === 1 ? pair.token1.id : pair.token2.id;
      const updated = await store.updateDeployment(workspaceId, deploymentId, {
        ...(specChanged ? { spec } : {}),
        ...(tokenId !== undefined ? { tokenId } : {}),
        updatedAt: clock.now(),
      });
      if (!updated) {
        if (tokenId !== undefined && (await store.findDeployment(workspaceId, deploymentId)))
          throw new ConflictError(
            'The streaming tokens were rotated meanwhile; nothing was changed. Try again.',
          );
        throw new NotFoundError(`Deployment '${deploymentId}' does not exist in workspace '${workspaceId}'.`);
      }
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'deployment.update',
        workspaceId,
        target: deploymentId,
        details: {
          name: current.name,
          changed: Object.keys(input),
          ...auditDetails(spec),
          ...(tokenId !== undefined ? { tokenId } : {}),
        },
        address,
      });
      poke();
      return deploymentView(updated, pair);
    },

    async remove(principal, workspaceId, deploymentId, address) {
      await workspaceOrFail(workspaceId);
      const current = await found(workspaceId, deploymentId);
      const runner = deps.runner();
      if (runner && current.observed.instances.length > 0) {
        await store.updateDeployment(workspaceId, deploymentId, {
          desiredState: 'stopped',
          updatedAt: clock.now(),
        });
        runner.poke();
        const deadline = Date.now() + deleteWaitMs;
        for (;;) {
          const now = await store.findDeployment(workspaceId, deploymentId);
          if (!now || now.observed.instances.length === 0 || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      await store.deleteDeployment(workspaceId, deploymentId);
      await runner?.forget(deploymentId);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: 'deployment.delete',
        workspaceId,
        target: deploymentId,
        details: { name: current.name },
        address,
      });
      runner?.poke();
    },

    async act(principal, workspaceId, deploymentId, action, address) {
      const pair = await workspaceOrFail(workspaceId);
      const current = await found(workspaceId, deploymentId);
      const finished = current.observed.status === 'Completed' || current.observed.status === 'Error';
      const changes =
        action === 'stop'
          ? { desiredState: 'stopped' as const }
          : action === 'restart'
            ? { desiredState: 'running' as const, restart: true }
            : // Starting what ended (completed or crash-looping) starts it afresh, without waiting out a backoff.
              { desiredState: 'running' as const, restart: current.desiredState === 'stopped' || finished };
      const updated = await store.updateDeployment(workspaceId, deploymentId, {
        ...changes,
        updatedAt: clock.now(),
      });
      if (!updated)
        throw new NotFoundError(`Deployment '${deploymentId}' does not exist in workspace '${workspaceId}'.`);
      await audit.record({
        actor: { kind: 'principal', principal },
        action: `deployment.${action}`,
        workspaceId,
        target: deploymentId,
        details: { name: current.name },
        address,
      });
      poke();
      return deploymentView(updated, pair);
    },

    async logs(workspaceId, deploymentId, { tail, follow, signal }) {
      if (tail < 1 || tail > 10_000) throw new BadRequestError('tail must be from 1 to 10000 lines.');
      await workspaceOrFail(workspaceId);
      const deployment = await found(workspaceId, deploymentId);
      const runner = deps.runner();
      if (!runner)
        throw new ConflictError(
          'This portal runs no deployments (STREAMGATE_RUNNER is not set), so it has no logs to show.',
        );
      return follow ? runner.followLogs(deployment, tail, signal) : runner.logs(deployment, tail);
    },
  };
}
