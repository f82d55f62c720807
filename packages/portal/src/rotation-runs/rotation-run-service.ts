import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import type { SecretBox } from '../crypto/secret-box.ts';
import { ConflictError, NotFoundError, workspaceNotFound } from '../errors.ts';
import { can } from '../permissions/permissions.ts';
import type { Principal } from '../permissions/principal.ts';
import type {
  AuditRecord,
  DeploymentStatus,
  DeploymentStorage,
  RotationRunMode,
  RotationRunRecord,
  RotationRunStorage,
  StreamingTokenRecord,
  TokenStorage,
  TokenUsageStorage,
} from '../storage/storage.ts';
import { pairTag } from '../tokens/rotation.ts';
import type { UsageRecorder } from '../tokens/usage-recorder.ts';
import { deploymentsOn, newStep, outsideClients, quietVerdict, stepsOf } from './rotation-run-rules.ts';

export interface StartRotationInput {
  mode: RotationRunMode;
  quietSeconds?: number;
  timeoutSeconds?: number;
  force?: boolean;
}

interface DeploymentSummary {
  deploymentId: string;
  name: string;
  status: DeploymentStatus;
}

export interface RotationPlanView {
  etag: string;
  workspaceId: string;
  token1: { id: string; hint: string };
  token2: { id: string; hint: string };
  verdict: 'unused' | 'in-use';
  summary: string;
  quietSeconds: number;
  recommendedMode: RotationRunMode | 'rotate-only';
  deploymentsOnToken1: DeploymentSummary[];
  deploymentsOnToken2: DeploymentSummary[];
  outsideClients: { userAgent: string; address: string; deploymentId: string | null; lastUsedAt: string }[];
  activeRun: RotationRunRecord | null;
  canRotate: boolean;
}

export interface RotationRunService {
  plan(principal: Principal, workspaceId: string): Promise<RotationPlanView>;
  start(
    principal: Principal,
    workspaceId: string,
    /** The pair the caller saw (its ETag): a stale one starts nothing. */
    expectedTag: string,
    input: StartRotationInput,
    address: string | null,
  ): Promise<RotationRunRecord>;
  get(workspaceId: string, rotationId: string): Promise<RotationRunRecord>;
  list(workspaceId: string): Promise<RotationRunRecord[]>;
  cancel(
    principal: Principal,
    workspaceId: string,
    rotationId: string,
    address: string | null,
  ): Promise<RotationRunRecord>;
  force(
    principal: Principal,
    workspaceId: string,
    rotationId: string,
    address: string | null,
  ): Promise<RotationRunRecord>;
}

export function createRotationRunService(deps: {
  store: RotationRunStorage & TokenStorage & TokenUsageStorage & DeploymentStorage;
  box: SecretBox;
  clock: Clock;
  audit: AuditLog;
  usage: UsageRecorder;
  /** The default quiet window: the broker JWT lifetime. */
  defaultQuietSeconds: number;
  pokeExecutor: () => void;
}): RotationRunService {
  const { store, clock, audit } = deps;

  const pairOrFail = async (workspaceId: string) => {
    const pair = await store.activeTokenPair(workspaceId);
    if (!pair) throw workspaceNotFound(workspaceId);
    return pair;
  };
  const runOrFail = async (workspaceId: string, rotationId: string) => {
    const run = await store.findRotationRun(workspaceId, rotationId);
    if (!run)
      throw new NotFoundError(`Rotation run '${rotationId}' does not exist in workspace '${workspaceId}'.`);
    return run;
  };
  const hint = (token: StreamingTokenRecord) => ({
    id: token.id,
    hint: deps.box.open(token.sealedValue, `streaming-token:${token.workspaceId}:${token.id}`).slice(-4),
  });
  /** Changes a run that has not rotated yet; 409 once it has (or has ended). */
  const beforeRotating = async (
    workspaceId: string,
    rotationId: string,
    what: string,
    change: (run: RotationRunRecord) => void,
    auditEntry: AuditRecord,
  ) => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const run = await runOrFail(workspaceId, rotationId);
      if (run.status !== 'running')
        throw new ConflictError(`Rotation run '${rotationId}' has already ended (${run.status}).`);
      const rotateStep = run.steps.find((step) => step.name === 'rotate');
      if (rotateStep && rotateStep.state !== 'pending')
        throw new ConflictError(
          `Rotation run '${rotationId}' has already started rotating; it cannot ${what} now.`,
        );
      const next = structuredClone(run);
      change(next);
      next.updatedAt = clock.now();
      if (await store.updateRotationRun(next, [auditEntry])) return { ...next, version: next.version + 1 };
    }
    throw new ConflictError(`Rotation run '${rotationId}' kept changing; try again.`);
  };

  return {
    async plan(principal, workspaceId) {
      const pair = await pairOrFail(workspaceId);
      const deployments = await store.listDeployments(workspaceId);
      await deps.usage.flush();
      const onToken1 = deploymentsOn(deployments, pair.token1.id);
      const verdict = quietVerdict({
        usage: await store.tokenUsage([pair.token1.id]),
        deploymentsOnToken: onToken1,
        quietSeconds: deps.defaultQuietSeconds,
        now: clock.now(),
      });
      const summary = (d: (typeof deployments)[number]) => ({
        deploymentId: d.deploymentId,
        name: d.name,
        status: d.observed.status,
      });
      const active =
        (await store.listRotationRuns(workspaceId, 1)).find((run) => run.status === 'running') ?? null;
      return {
        etag: pairTag(pair),
        workspaceId,
        token1: hint(pair.token1),
        token2: hint(pair.token2),
        verdict: verdict.verdict,
        summary: verdict.summary,
        quietSeconds: deps.defaultQuietSeconds,
        // A run when anything would be cut off: it moves the deployments and, for outside clients,
        // waits (listing them) instead of breaking them; a plain rotation when nothing would be.
        recommendedMode:
          deployments.length > 0 || verdict.verdict === 'in-use' ? 'zero-downtime' : 'rotate-only',
        deploymentsOnToken1: onToken1.map(summary),
        deploymentsOnToken2: deployments.filter((d) => !onToken1.includes(d)).map(summary),
        outsideClients: outsideClients(verdict.clients, deployments),
        activeRun: active,
        canRotate: can(principal, 'streamingTokens.rotate', workspaceId).allowed,
      };
    },

    async start(principal, workspaceId, expected, input, address) {
      const pair = await pairOrFail(workspaceId);
      if (pairTag(pair) !== expected)
        throw new ConflictError(
          'The token pair changed since you read it (someone rotated first); nothing was started.',
        );
      const quietSeconds = input.quietSeconds ?? deps.defaultQuietSeconds;
      const now = clock.now();
      const run: RotationRunRecord = {
        rotationId: `rot-${randomId()}`,
        workspaceId,
        mode: input.mode,
        status: 'running',
        quietSeconds,
        timeoutSeconds: input.timeoutSeconds ?? quietSeconds + 600,
        force: input.force ?? false,
        startedBy: principal.kind === 'user' ? principal.email : `streaming token ${principal.tokenId}`,
        error: null,
        fromTokenIds: { token1: pair.token1.id, token2: pair.token2.id },
        brokerCutoff: null,
        steps: stepsOf[input.mode].map(newStep),
        version: 1,
        createdAt: now,
        updatedAt: now,
        endedAt: null,
      };
      const started = audit.entry({
        actor: { kind: 'principal', principal },
        action: 'rotation_run.start',
        workspaceId,
        target: run.rotationId,
        details: {
          rotationId: run.rotationId,
          mode: run.mode,
          quietSeconds,
          timeoutSeconds: run.timeoutSeconds,
          force: run.force,
        },
        address,
      });
      if (!(await store.insertRotationRun(run, started))) {
        const active = (await store.listRunningRotationRuns()).find((r) => r.workspaceId === workspaceId);
        throw new ConflictError(
          `A rotation run is already running in workspace '${workspaceId}'${active ? ` (${active.rotationId})` : ''}; wait for it or cancel it.`,
        );
      }
      deps.pokeExecutor();
      return run;
    },

    async get(workspaceId, rotationId) {
      return runOrFail(workspaceId, rotationId);
    },

    async list(workspaceId) {
      await pairOrFail(workspaceId);
      return store.listRotationRuns(workspaceId, 20);
    },

    async cancel(principal, workspaceId, rotationId, address) {
      return beforeRotating(
        workspaceId,
        rotationId,
        'be cancelled',
        (run) => {
          run.status = 'cancelled';
          run.endedAt = clock.now();
          run.error = 'cancelled';
          for (const step of run.steps) {
            if (step.state === 'running') step.endedAt = clock.now().toISOString();
            if (step.state === 'pending' || step.state === 'running') step.state = 'skipped';
          }
        },
        audit.entry({
          actor: { kind: 'principal', principal },
          action: 'rotation_run.cancel',
          workspaceId,
          target: rotationId,
          details: { rotationId },
          address,
        }),
      );
    },

    async force(principal, workspaceId, rotationId, address) {
      const forced = await beforeRotating(
        workspaceId,
        rotationId,
        'be forced',
        (run) => {
          run.force = true;
        },
        audit.entry({
          actor: { kind: 'principal', principal },
          action: 'rotation_run.step',
          workspaceId,
          target: rotationId,
          details: { rotationId, forced: true },
          address,
        }),
      );
      deps.pokeExecutor();
      return forced;
    },
  };
}
