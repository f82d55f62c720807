import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { PortalLogger } from '../logger.ts';
import { serialTicks } from '../scheduling/serial-ticks.ts';
import type {
  DeploymentStorage,
  RotationRunRecord,
  RotationRunStorage,
  RotationStep,
  TokenStorage,
  TokenUsageStorage,
} from '../storage/storage.ts';
import type { StreamingTokenService } from '../tokens/streaming-token-service.ts';
import type { UsageRecorder } from '../tokens/usage-recorder.ts';
import { deploymentsOn, hasLeft, quietVerdict, readySince, runsOn } from './rotation-run-rules.ts';

export interface RotationRunExecutor {
  start(): void;
  stop(): Promise<void>;
  /** A run was started, cancelled or forced: advance now rather than at the next tick. */
  poke(): void;
}

/**
 * Drives every running rotation run one step at a time. All of a run's state is in storage and
 * each change is a compare-and-swap on the run's version, so a restarted portal resumes where
 * it was, and two executors (two portal instances) never both advance the same run.
 *
 * Every step is safe to stop after: before `rotate` nothing is deactivated, and deployments
 * moved to Token 2 run with the one token that survives every rotation.
 */
/** Other instances write token usage every few seconds; quiet is not decided before their writes land. */
const usageFlushMarginMs = 6000;

export function createRotationRunExecutor(deps: {
  store: RotationRunStorage & TokenStorage & TokenUsageStorage & DeploymentStorage;
  clock: Clock;
  audit: AuditLog;
  usage: UsageRecorder;
  streamingTokens: StreamingTokenService;
  /** Applies the broker's ACLs now: 'done', 'pending' (failed; the reconciler retries), null (no broker). */
  cutOff: () => Promise<'done' | 'pending' | null>;
  pokeRunner: () => void;
  logger: PortalLogger;
  tickMs?: number;
}): RotationRunExecutor {
  const { store, clock, audit } = deps;
  let timer: NodeJS.Timeout | null = null;

  const now = () => clock.now();
  const iso = () => now().toISOString();
  const systemActor = { kind: 'system' } as const;

  const stepAudit = (run: RotationRunRecord, step: RotationStep) =>
    audit.entry({
      actor: systemActor,
      action: 'rotation_run.step',
      workspaceId: run.workspaceId,
      target: run.rotationId,
      details: {
        rotationId: run.rotationId,
        step: step.name,
        state: step.state,
        detail: step.detail,
        deployments: step.deployments.map((d) => ({
          deploymentId: d.deploymentId,
          state: d.state,
          downtimeMs: d.downtimeMs,
        })),
        startedBy: run.startedBy,
      },
    });

  const begin = (step: RotationStep) => {
    if (step.state === 'pending') {
      step.state = 'running';
      step.startedAt = iso();
    }
  };
  const end = (
    step: RotationStep,
    state: 'done' | 'failed' | 'skipped',
    detail: string | null = step.detail,
  ) => {
    step.state = state;
    step.endedAt = iso();
    step.detail = detail;
  };

  /** Move Token 1's deployments to Token 2 one at a time; each new instance is ready before the old stops. */
  const moveDeployments = async (run: RotationRunRecord, step: RotationStep) => {
    const from = run.fromTokenIds.token1;
    const to = run.fromTokenIds.token2;
    begin(step);
    const moving = step.deployments.find((d) => d.state === 'moving');
    if (moving) {
      const deployment = await store.findDeployment(run.workspaceId, moving.deploymentId);
      if (!deployment || hasLeft(deployment, from)) {
        moving.state = 'done';
        moving.downtimeMs = 0;
        deps.logger.info(
          { rotationId: run.rotationId, deploymentId: moving.deploymentId },
          'rotation run: deployment moved',
        );
      }
      return;
    }
    const next = step.deployments.find((d) => d.state === 'pending');
    if (next) {
      const current = await store.findDeployment(run.workspaceId, next.deploymentId);
      if (!current) {
        next.state = 'done';
        return;
      }
      await store.updateDeployment(run.workspaceId, next.deploymentId, {
        tokenId: to,
        restart: current.desiredState === 'running',
        onlyIfTokenId: from,
        updatedAt: now(),
      });
      next.state = 'moving';
      deps.pokeRunner();
      return;
    }
    // Deployments created on Token 1 meanwhile are moved too, before the step ends.
    const left = deploymentsOn(await store.listDeployments(run.workspaceId), from).filter(
      (d) =>
        !step.deployments.some((listed) => listed.deploymentId === d.deploymentId && listed.state !== 'done'),
    );
    const added = left.filter(
      (d) => !step.deployments.some((listed) => listed.deploymentId === d.deploymentId),
    );
    for (const d of added)
      step.deployments.push({
        deploymentId: d.deploymentId,
        name: d.name,
        fromTokenId: from,
        toTokenId: to,
        state: 'pending',
        downtimeMs: null,
      });
    if (added.length > 0) return;
    if (left.length > 0) {
      // Listed as done but back on Token 1 (moved back by hand): move it again.
      for (const d of left) {
        const listed = step.deployments.find((item) => item.deploymentId === d.deploymentId)!;
        listed.state = 'pending';
      }
      return;
    }
    end(step, 'done', `${step.deployments.length} deployment(s) moved to Token 2`);
  };

  const waitQuiet = async (run: RotationRunRecord, step: RotationStep) => {
    begin(step);
    const from = run.fromTokenIds.token1;
    const onToken1 = deploymentsOn(await store.listDeployments(run.workspaceId), from);
    if (onToken1.length > 0) {
      // Someone put a deployment back on Token 1: move it first.
      const move = run.steps.find((s) => s.name === 'move-deployments');
      if (move) {
        move.state = 'running';
        move.endedAt = null;
        step.state = 'pending';
        step.detail = `deployment(s) ${onToken1.map((d) => d.name).join(', ')} run on Token 1 again; moving them first`;
        return;
      }
    }
    await deps.usage.flush();
    const verdict = quietVerdict({
      usage: await store.tokenUsage([from]),
      deploymentsOnToken: onToken1,
      quietSeconds: run.quietSeconds,
      now: now(),
    });
    step.clients = verdict.clients;
    const earliest = Date.parse(step.startedAt!) + Math.min(usageFlushMarginMs, run.quietSeconds * 1000);
    const until = Math.max(earliest, verdict.quietUntil?.getTime() ?? 0);
    step.quietUntil = new Date(until).toISOString();
    if (run.force) {
      end(
        step,
        'done',
        verdict.clients.length > 0
          ? `forced: ${verdict.clients.length} client(s) of Token 1 not waited for`
          : 'forced',
      );
      return;
    }
    if (now().getTime() >= until && verdict.verdict === 'unused') {
      end(step, 'done', `Token 1 unused for ${run.quietSeconds} s`);
      return;
    }
    step.detail =
      verdict.clients.length > 0
        ? `waiting for ${verdict.clients.length} client(s) of Token 1 to go quiet`
        : `waiting until ${step.quietUntil}`;
  };

  const rotate = async (run: RotationRunRecord, step: RotationStep) => {
    if (step.state === 'pending') {
      // First the deployments on Token 1, saved with the run before rotating: an instance refused
      // by the broker may exit before the restart step looks, and a portal may crash right after
      // the rotation; either way its deployment must still be restarted, waited for and reported.
      begin(step);
      step.detail = 'rotating';
      const onToken1 = deploymentsOn(
        await store.listDeployments(run.workspaceId),
        run.fromTokenIds.token1,
      ).filter((d) => d.desiredState === 'running' || runsOn(d, run.fromTokenIds.token1));
      const restartStep = run.steps.find((s) => s.name === 'restart-deployments');
      if (restartStep?.state === 'pending')
        restartStep.deployments = onToken1.map((d) => ({
          deploymentId: d.deploymentId,
          name: d.name,
          fromTokenId: run.fromTokenIds.token1,
          toTokenId: run.fromTokenIds.token2,
          state: 'pending',
          downtimeMs: null,
        }));
      return;
    }
    const expected = { token1: { id: run.fromTokenIds.token1 }, token2: { id: run.fromTokenIds.token2 } };
    const outcome = await deps.streamingTokens.rotatePair(run.workspaceId, expected, systemActor, {
      rotationId: run.rotationId,
      startedBy: run.startedBy,
    });
    if (outcome === 'stale') {
      const pair = await store.activeTokenPair(run.workspaceId);
      // Resumed after a crash that came between the rotation and this step's record: it is done.
      const alreadyRotated = pair !== null && pair.token1.id === run.fromTokenIds.token2;
      if (!alreadyRotated) {
        end(
          step,
          'failed',
          'The token pair changed meanwhile (someone rotated first); this run rotated nothing.',
        );
        throw new RunFailed(step.detail!);
      }
    }
    end(step, 'done', 'Token 1 deactivated, Token 2 promoted, a new Token 2 created');
    run.brokerCutoff = 'pending';
    run.brokerCutoff = await deps.cutOff().catch(() => 'pending' as const);
  };

  /** What still runs on the deactivated token is restarted on the new Token 1 (all at once: it is down). */
  const restartDeployments = async (run: RotationRunRecord, step: RotationStep) => {
    const from = run.fromTokenIds.token1;
    const rotatedAt = Date.parse(run.steps.find((s) => s.name === 'rotate')?.endedAt ?? iso());
    if (step.state === 'pending') {
      begin(step);
      for (const item of step.deployments) item.state = 'moving'; // listed by the rotate step
      const listed = new Set(step.deployments.map((d) => d.deploymentId));
      const deployments = (await store.listDeployments(run.workspaceId)).filter(
        (d) => listed.has(d.deploymentId) || runsOn(d, from),
      );
      for (const d of deployments) {
        // The rotation's transaction already set it on the new Token 1, and the runner replaces
        // instances of another token by itself; a restart on top would start a second replacement.
        if (d.tokenId === from)
          await store.updateDeployment(run.workspaceId, d.deploymentId, { restart: true, updatedAt: now() });
        if (listed.has(d.deploymentId)) continue;
        step.deployments.push({
          deploymentId: d.deploymentId,
          name: d.name,
          fromTokenId: from,
          toTokenId: d.tokenId,
          state: 'moving',
          downtimeMs: null,
        });
      }
      if (deployments.length > 0) deps.pokeRunner();
    }
    for (const item of step.deployments.filter((d) => d.state === 'moving')) {
      const deployment = await store.findDeployment(run.workspaceId, item.deploymentId);
      if (!deployment) {
        item.state = 'done';
      } else if (hasLeft(deployment, from)) {
        item.state = 'done';
        const ready = readySince(deployment);
        item.downtimeMs = ready === null ? null : Math.max(0, ready - rotatedAt);
      }
    }
    if (step.deployments.every((d) => d.state === 'done')) {
      end(
        step,
        step.deployments.length === 0 ? 'skipped' : 'done',
        step.deployments.length === 0
          ? 'no deployment ran on the old Token 1'
          : `${step.deployments.length} deployment(s) restarted on the new Token 1`,
      );
    }
  };

  const advance = async (stored: RotationRunRecord) => {
    const run: RotationRunRecord = structuredClone(stored);
    const step = run.steps.find((s) => s.state === 'pending' || s.state === 'running');
    const before = step ? step.state : null;
    try {
      if (!step) {
        run.status = 'succeeded';
      } else {
        const rotated = run.steps.some((s) => s.name === 'rotate' && s.state === 'done');
        if (!rotated && now().getTime() > run.createdAt.getTime() + run.timeoutSeconds * 1000) {
          end(step, 'failed', `timed out after ${run.timeoutSeconds} s: ${step.detail ?? step.name}`);
          throw new RunFailed(
            `Timed out after ${run.timeoutSeconds} s in step ${step.name}: ${step.detail ?? ''}`.trim(),
          );
        }
        if (step.name === 'move-deployments') await moveDeployments(run, step);
        else if (step.name === 'wait-quiet') await waitQuiet(run, step);
        else if (step.name === 'rotate') await rotate(run, step);
        else await restartDeployments(run, step);
        if (!run.steps.some((s) => s.state === 'pending' || s.state === 'running')) run.status = 'succeeded';
      }
    } catch (error) {
      if (!(error instanceof RunFailed)) throw error;
      run.status = 'failed';
      run.error = error.message;
      for (const s of run.steps) if (s.state === 'pending') s.state = 'skipped';
    }
    if (run.status !== 'running') run.endedAt = now();
    run.updatedAt = now();
    if (JSON.stringify({ ...run, updatedAt: null }) === JSON.stringify({ ...stored, updatedAt: null }))
      return;
    const entries = [];
    if (step && step.state !== before && step.state !== 'running') entries.push(stepAudit(run, step));
    if (run.status !== 'running')
      entries.push(
        audit.entry({
          actor: systemActor,
          action: 'rotation_run.end',
          workspaceId: run.workspaceId,
          target: run.rotationId,
          details: {
            rotationId: run.rotationId,
            status: run.status,
            error: run.error,
            startedBy: run.startedBy,
          },
        }),
      );
    // The audit entries commit with the run's new state: a crash cannot keep one without the other.
    if (!(await store.updateRotationRun(run, entries))) return; // another executor advanced it first
    ticks.again(); // a step ended: take the next one without waiting for the timer
  };

  const tick = async () => {
    for (const run of await store.listRunningRotationRuns()) {
      try {
        await advance(run);
      } catch (error) {
        deps.logger.error({ err: error, rotationId: run.rotationId }, 'rotation run: step failed; retrying');
      }
    }
  };

  const ticks = serialTicks(tick, {
    onError: (error) => deps.logger.error({ err: error }, 'rotation run executor: tick failed'),
    maxRounds: 20,
  });
  const runTick = ticks.run;

  return {
    start() {
      if (timer) return;
      timer = setInterval(() => void runTick(), deps.tickMs ?? 1000);
      timer.unref();
      void runTick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await ticks.idle();
    },
    poke() {
      if (timer) void runTick();
    },
  };
}

class RunFailed extends Error {}
