import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createSecretBox, type SecretBox } from '../crypto/secret-box.ts';
import type { DeploymentRecord, Store, StreamingTokenRecord } from '../storage/storage.ts';
import type { DeploymentRunner } from './runner.ts';

/**
 * The one suite every runner passes (process-runner.test.ts and kubernetes-runner.test.ts run
 * it): from wanted state in storage to instances and back to the observed state, with the
 * rolling rule (a replica's new instance is ready before its old one stops).
 */
export interface RunnerFixture {
  store: Store;
  box: SecretBox;
  runner: DeploymentRunner;
  /** A command that runs until stopped. */
  forever: string[];
  /** The image it runs in, for a runner of containers. */
  image?: string;
  close(): Promise<void>;
}

export function runRunnerContract(kind: string, open: (box: SecretBox) => Promise<RunnerFixture>): void {
  describe(`runner contract: ${kind}`, () => {
    let fixture: RunnerFixture;
    let serial = 0;
    const box = createSecretBox(randomBytes(32));

    const workspace = async () => {
      const workspaceId = `rc${++serial}`;
      const token = (slot: 1 | 2): StreamingTokenRecord => {
        const id = `st-${workspaceId}-${slot}`;
        return {
          id,
          workspaceId,
          slot,
          tokenHash: `hash-${id}`,
          sealedValue: box.seal(`value-of-${id}`, `streaming-token:${workspaceId}:${id}`),
          createdAt: new Date(),
          deactivatedAt: null,
        };
      };
      const tokens: [StreamingTokenRecord, StreamingTokenRecord] = [token(1), token(2)];
      await fixture.store.createWorkspace({
        workspace: { workspaceId, name: workspaceId, createdAt: new Date() },
        tokens,
      });
      return { workspaceId, tokens };
    };
    const deploy = async (workspaceId: string, tokenId: string, replicas = 1): Promise<DeploymentRecord> => {
      const record: DeploymentRecord = {
        deploymentId: `dep-rc${++serial}`,
        workspaceId,
        name: `svc${serial}`,
        spec: {
          ...(fixture.image ? { image: fixture.image } : {}),
          command: fixture.forever,
          workingDirectory: null,
          variables: {},
          replicas,
        },
        specVersion: 1,
        desiredState: 'running',
        tokenId,
        generation: 1,
        observed: { status: 'Starting', statusDetail: null, restartCount: 0, lastExit: null, instances: [] },
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      await fixture.store.insertDeployment(record);
      fixture.runner.poke();
      return record;
    };
    const observe = async (d: DeploymentRecord) =>
      (await fixture.store.findDeployment(d.workspaceId, d.deploymentId))!;
    /** Polls until `done`, keeping every observed state seen on the way. */
    const until = async (d: DeploymentRecord, done: (now: DeploymentRecord) => boolean, ms = 30_000) => {
      const seen: DeploymentRecord[] = [];
      const deadline = Date.now() + ms;
      for (;;) {
        const now = await observe(d);
        seen.push(now);
        if (done(now)) return seen;
        if (Date.now() > deadline) throw new Error(`timed out; last seen ${JSON.stringify(now.observed)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const readyOn = (d: DeploymentRecord, tokenId: string) =>
      d.observed.instances.filter((i) => i.readyAt !== null && !i.stopping && i.tokenId === tokenId).length;

    before(async () => {
      fixture = await open(box);
    });
    after(async () => {
      await fixture.close();
    });

    it('brings a deployment up to its replicas, each with its token, and calls it Running', async () => {
      const { workspaceId, tokens } = await workspace();
      const d = await deploy(workspaceId, tokens[0].id, 2);
      await until(d, (now) => now.observed.status === 'Running');
      const now = await observe(d);
      assert.equal(readyOn(now, tokens[0].id), 2);
      assert.deepEqual(now.observed.instances.map((i) => i.replica).sort(), [0, 1]);
    });

    it('rolls a restart: every replica keeps a ready instance throughout', async () => {
      const { workspaceId, tokens } = await workspace();
      const d = await deploy(workspaceId, tokens[0].id, 2);
      await until(d, (now) => now.observed.status === 'Running');
      const old = new Set((await observe(d)).observed.instances.map((i) => i.instanceId));
      await fixture.store.updateDeployment(workspaceId, d.deploymentId, {
        restart: true,
        updatedAt: new Date(),
      });
      fixture.runner.poke();
      const seen = await until(
        d,
        (now) =>
          now.observed.instances.length === 2 &&
          now.observed.instances.every((i) => !old.has(i.instanceId) && i.readyAt),
      );
      for (const state of seen) {
        for (const replica of [0, 1]) {
          const ready = state.observed.instances.filter(
            (i) => i.replica === replica && i.readyAt !== null && !i.stopping,
          );
          assert.ok(ready.length >= 1, `replica ${replica} had no ready instance at some point`);
        }
      }
    });

    it('moves to the other token by replacing instances, new before old', async () => {
      const { workspaceId, tokens } = await workspace();
      const d = await deploy(workspaceId, tokens[0].id);
      await until(d, (now) => now.observed.status === 'Running');
      await fixture.store.updateDeployment(workspaceId, d.deploymentId, {
        tokenId: tokens[1].id,
        restart: true,
        onlyIfTokenId: tokens[0].id,
        updatedAt: new Date(),
      });
      fixture.runner.poke();
      const seen = await until(
        d,
        (now) => readyOn(now, tokens[1].id) === 1 && now.observed.instances.length === 1,
      );
      for (const state of seen) assert.ok(readyOn(state, tokens[0].id) + readyOn(state, tokens[1].id) >= 1);
    });

    it('stops every instance when stopped, and forgets a deleted deployment', async () => {
      const { workspaceId, tokens } = await workspace();
      const d = await deploy(workspaceId, tokens[0].id, 2);
      await until(d, (now) => now.observed.status === 'Running');
      await fixture.store.updateDeployment(workspaceId, d.deploymentId, {
        desiredState: 'stopped',
        updatedAt: new Date(),
      });
      fixture.runner.poke();
      await until(d, (now) => now.observed.status === 'Stopped' && now.observed.instances.length === 0);
      await fixture.store.updateDeployment(workspaceId, d.deploymentId, {
        desiredState: 'running',
        updatedAt: new Date(),
      });
      fixture.runner.poke();
      await until(d, (now) => now.observed.status === 'Running');
      await fixture.store.deleteDeployment(workspaceId, d.deploymentId);
      fixture.runner.poke();
      await fixture.runner.forget(d.deploymentId);
    });
  });
}
