import assert from 'node:assert/strict';
import { it } from 'node:test';
import { rotationAudit } from '../../test-support/rotation-audit.ts';
import { planRotation } from '../tokens/rotation.ts';
import type {
  AuditRecord,
  DeploymentRecord,
  RotationRunRecord,
  Store,
  StreamingTokenRecord,
} from './storage.ts';

/**
 * The deployments and rotation runs part of the storage contract, run by runStorageContract on
 * every engine: name uniqueness per workspace, atomic counters, compare-and-swap on runs, one
 * running run per workspace, and a rotation that moves deployments off the deactivated token.
 */
export function runDeploymentStorageContract(ctx: {
  store: () => Store;
  unique: (prefix: string) => string;
  newWorkspace: () => Promise<{ workspaceId: string; tokens: StreamingTokenRecord[] }>;
  token: (workspaceId: string, slot: 1 | 2 | null) => StreamingTokenRecord;
}): void {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const deployment = (workspaceId: string, tokenId: string, name = ctx.unique('d')): DeploymentRecord => ({
    deploymentId: ctx.unique('dep-'),
    workspaceId,
    name,
    spec: {
      command: ['node', '-e', 'setInterval(() => {}, 1000)'],
      workingDirectory: null,
      variables: { PLAIN: { secret: false, value: 'x' }, KEY: { secret: true, value: 'sealed' } },
      replicas: 1,
    },
    specVersion: 1,
    desiredState: 'running',
    tokenId,
    generation: 1,
    observed: { status: 'Stopped', statusDetail: null, restartCount: 0, lastExit: null, instances: [] },
    createdAt: t0,
    updatedAt: t0,
  });
  let auditSerial = 0;
  const audited = (workspaceId: string, target = `run-${++auditSerial}`): AuditRecord => ({
    ...rotationAudit(workspaceId),
    action: target.startsWith('step') ? 'rotation_run.step' : 'rotation_run.start',
    target,
  });
  const run = (workspaceId: string, status: RotationRunRecord['status'] = 'running'): RotationRunRecord => ({
    rotationId: ctx.unique('rot-'),
    workspaceId,
    mode: 'zero-downtime',
    status,
    quietSeconds: 10,
    timeoutSeconds: 100,
    force: false,
    startedBy: 'admin@example.test',
    error: null,
    fromTokenIds: { token1: 'a', token2: 'b' },
    brokerCutoff: null,
    steps: [
      {
        name: 'move-deployments',
        state: 'pending',
        startedAt: null,
        endedAt: null,
        detail: null,
        deployments: [],
        clients: [],
        quietUntil: null,
      },
    ],
    version: 1,
    createdAt: new Date(),
    updatedAt: new Date(),
    endedAt: null,
  });

  it('stores deployments once per name in a workspace, and the same name in another', async () => {
    const store = ctx.store();
    const a = await ctx.newWorkspace();
    const b = await ctx.newWorkspace();
    const first = deployment(a.workspaceId, a.tokens[0]!.id, 'orders');
    assert.equal(await store.insertDeployment(first), true);
    assert.deepEqual(await store.findDeployment(a.workspaceId, first.deploymentId), first);
    assert.equal(await store.insertDeployment(deployment(a.workspaceId, a.tokens[0]!.id, 'orders')), false);
    assert.equal(await store.insertDeployment(deployment(b.workspaceId, b.tokens[0]!.id, 'orders')), true);
    assert.equal(
      await store.findDeployment(b.workspaceId, first.deploymentId),
      null,
      'not through another workspace',
    );
    assert.deepEqual(
      (await store.listDeployments(a.workspaceId)).map((d) => d.name),
      ['orders'],
    );
    const everyone = await store.listDeployments(null);
    assert.ok(everyone.some((d) => d.workspaceId === b.workspaceId && d.name === 'orders'));
  });

  it('updates a deployment: spec version and generation count, a move is conditional', async () => {
    const store = ctx.store();
    const { workspaceId, tokens } = await ctx.newWorkspace();
    const d = deployment(workspaceId, tokens[0]!.id);
    await store.insertDeployment(d);
    const at = new Date('2026-03-01T00:00:00Z');
    const changed = await store.updateDeployment(workspaceId, d.deploymentId, {
      spec: { ...d.spec, replicas: 3 },
      restart: true,
      desiredState: 'stopped',
      updatedAt: at,
    });
    assert.equal(changed?.spec.replicas, 3);
    assert.equal(changed?.specVersion, 2);
    assert.equal(changed?.generation, 2);
    assert.equal(changed?.desiredState, 'stopped');
    assert.deepEqual(changed?.updatedAt, at);
    const moved = await store.updateDeployment(workspaceId, d.deploymentId, {
      tokenId: tokens[1]!.id,
      restart: true,
      onlyIfTokenId: tokens[0]!.id,
      updatedAt: at,
    });
    assert.equal(moved?.tokenId, tokens[1]!.id);
    assert.equal(moved?.generation, 3);
    const raced = await store.updateDeployment(workspaceId, d.deploymentId, {
      tokenId: 'elsewhere',
      onlyIfTokenId: tokens[0]!.id,
      updatedAt: at,
    });
    assert.equal(raced, null, 'a move from a token it no longer has changes nothing');
    assert.equal((await store.findDeployment(workspaceId, d.deploymentId))?.tokenId, tokens[1]!.id);
    assert.equal(await store.updateDeployment(workspaceId, 'dep-missing', { updatedAt: at }), null);
  });

  it('never sets a deployment to a token that is not active', async () => {
    const store = ctx.store();
    const { workspaceId, tokens } = await ctx.newWorkspace();
    const d = deployment(workspaceId, tokens[0]!.id);
    await store.insertDeployment(d);
    await store.rotateTokens({
      workspaceId,
      rotation: planRotation(
        { token1: tokens[0]!, token2: tokens[1]! },
        ctx.token(workspaceId, 2),
        new Date(),
      ),
      audit: rotationAudit(workspaceId),
    });
    const refused = await store.updateDeployment(workspaceId, d.deploymentId, {
      tokenId: tokens[0]!.id,
      updatedAt: new Date(),
    });
    assert.equal(refused, null, 'the deactivated Token 1 is refused');
    assert.equal((await store.findDeployment(workspaceId, d.deploymentId))?.tokenId, tokens[1]!.id);
    assert.equal(
      await store.updateDeployment(workspaceId, d.deploymentId, {
        tokenId: 'st-unknown',
        updatedAt: new Date(),
      }),
      null,
    );
  });

  it('records what the runner observed without touching the desired state', async () => {
    const store = ctx.store();
    const { workspaceId, tokens } = await ctx.newWorkspace();
    const d = deployment(workspaceId, tokens[0]!.id);
    await store.insertDeployment(d);
    const observed = {
      status: 'Error' as const,
      statusDetail: 'restarting in 2 s',
      restartCount: 4,
      lastExit: { code: 1, signal: null, at: '2026-01-01T00:00:05.000Z' },
      instances: [],
    };
    await store.recordDeploymentObserved(d.deploymentId, observed);
    const found = await store.findDeployment(workspaceId, d.deploymentId);
    assert.deepEqual(found?.observed, observed);
    assert.equal(found?.generation, d.generation);
    assert.equal(await store.deleteDeployment(workspaceId, d.deploymentId), true);
    assert.equal(await store.deleteDeployment(workspaceId, d.deploymentId), false);
  });

  it('a rotation moves deployments off the deactivated token in its own transaction', async () => {
    const store = ctx.store();
    const { workspaceId, tokens } = await ctx.newWorkspace();
    const onToken1 = deployment(workspaceId, tokens[0]!.id);
    const onToken2 = deployment(workspaceId, tokens[1]!.id);
    await store.insertDeployment(onToken1);
    await store.insertDeployment(onToken2);
    const outcome = await store.rotateTokens({
      workspaceId,
      rotation: planRotation(
        { token1: tokens[0]!, token2: tokens[1]! },
        ctx.token(workspaceId, 2),
        new Date(),
      ),
      audit: rotationAudit(workspaceId),
    });
    assert.equal(outcome, 'rotated');
    assert.equal((await store.findDeployment(workspaceId, onToken1.deploymentId))?.tokenId, tokens[1]!.id);
    assert.equal((await store.findDeployment(workspaceId, onToken2.deploymentId))?.tokenId, tokens[1]!.id);
  });

  it('keeps one running rotation run per workspace, and advances a run by compare-and-swap', async () => {
    const store = ctx.store();
    const { workspaceId } = await ctx.newWorkspace();
    const other = await ctx.newWorkspace();
    const first = run(workspaceId);
    assert.equal(await store.insertRotationRun(first, audited(workspaceId)), true);
    assert.equal(
      await store.insertRotationRun(run(workspaceId), audited(workspaceId)),
      false,
      'a second running run is refused',
    );
    assert.equal(
      await store.insertRotationRun(run(other.workspaceId), audited(other.workspaceId)),
      true,
      'another workspace is free',
    );
    assert.deepEqual(await store.findRotationRun(workspaceId, first.rotationId), first);
    assert.equal(await store.findRotationRun(other.workspaceId, first.rotationId), null);

    const advanced = { ...first, steps: [{ ...first.steps[0]!, state: 'done' as const }] };
    assert.equal(await store.updateRotationRun(advanced, [audited(workspaceId, 'step-won')]), true);
    assert.equal(
      await store.updateRotationRun(advanced, [audited(workspaceId, 'step-lost')]),
      false,
      'a writer holding the old version loses',
    );
    const targets = (await store.queryAudit({ workspaceIds: [workspaceId], limit: 50 })).map((e) => e.target);
    assert.ok(targets.includes('step-won'), 'the audit entry commits with the run');
    assert.ok(!targets.includes('step-lost'), 'and not without it');
    assert.equal(
      (await store.queryAudit({ workspaceIds: [workspaceId], action: 'rotation_run.start', limit: 50 }))
        .length,
      1,
      'one start entry per inserted run, none for the refused one',
    );
    const stored = await store.findRotationRun(workspaceId, first.rotationId);
    assert.equal(stored?.version, 2);
    assert.equal(stored?.steps[0]?.state, 'done');

    const ended = { ...stored!, status: 'succeeded' as const, endedAt: new Date() };
    assert.equal(await store.updateRotationRun(ended), true);
    assert.ok(!(await store.listRunningRotationRuns()).some((r) => r.rotationId === first.rotationId));
    const next = run(workspaceId);
    assert.equal(
      await store.insertRotationRun(next, audited(workspaceId)),
      true,
      'a new run once the first ended',
    );
    assert.deepEqual(
      (await store.listRotationRuns(workspaceId, 10)).map((r) => r.rotationId),
      [next.rotationId, first.rotationId],
    );
  });
}
