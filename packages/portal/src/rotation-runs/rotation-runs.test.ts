import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { waitFor } from '../../test-support/wait-for.ts';

/**
 * Rotation runs over HTTP with the process runner and real processes (no broker: the broker
 * cut-off is the Kafka suite's). Order of the moves, waiting for outside clients, force,
 * cancel, one run at a time, If-Match, and a run that cannot finish leaving nothing broken.
 */
const forever = ['node', '-e', 'setInterval(() => {}, 1000)'];
/** Fine on Token 1, crashes on any other token: a service that cannot move. */
const onlyOnToken = (token: string) => [
  'node',
  '-e',
  `if (process.env.Quix__Sdk__Token !== ${JSON.stringify(token)}) process.exit(9); setInterval(() => {}, 1000)`,
];

describe('rotation runs', () => {
  let h: Harness;
  let admin: Caller;
  let serial = 0;

  const call = (
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) =>
    h.inject({
      method,
      url,
      headers: { ...admin.headers, ...headers },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  const newWorkspace = async () => {
    const ws = `rot${++serial}`;
    await h.createWorkspace(ws);
    return ws;
  };
  const deploy = async (ws: string, name: string, command = forever) => {
    const response = await call('POST', `/workspaces/${ws}/deployments`, { name, command });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().deploymentId as string;
  };
  const allRunning = (ws: string) =>
    waitFor(`${ws} running`, async () => {
      const list = (await call('GET', `/workspaces/${ws}/deployments`)).json() as { status: string }[];
      return list.every((d) => d.status === 'Running');
    });
  const start = async (ws: string, body: Record<string, unknown>) => {
    const plan = await call('GET', `/workspaces/${ws}/streaming-tokens/rotation-plan`);
    const response = await call('POST', `/workspaces/${ws}/streaming-tokens/rotations`, body, {
      'if-match': String(plan.headers.etag),
    });
    assert.equal(response.statusCode, 202, response.body);
    return response.json().rotationId as string;
  };
  const run = async (ws: string, id: string) =>
    (await call('GET', `/workspaces/${ws}/streaming-tokens/rotations/${id}`)).json();
  const ended = (ws: string, id: string, ms?: number) =>
    waitFor(
      `run ${id} to end`,
      async () => {
        const now = await run(ws, id);
        return now.status !== 'running' && now;
      },
      ms,
    );
  const status = async (token: string, ws: string) =>
    (await h.inject({ method: 'GET', url: `/workspaces/${ws}`, headers: bearer(token) })).statusCode;

  before(async () => {
    h = await startHarness({
      env: {
        STREAMGATE_RUNNER: 'process',
        STREAMGATE_DEPLOYMENT_READY_SECONDS: '1',
        STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS: '2',
        STREAMGATE_BROKER_JWT_TTL_SECONDS: '10',
      },
    });
    h.portal.start({ reconcile: false });
    admin = await h.admin();
  });
  after(async () => {
    await h.close();
  });

  it('zero downtime: moves deployments one at a time (new ready before old stops), waits, rotates', async () => {
    const ws = await newWorkspace();
    const before = await h.streamingTokens(ws);
    const ids = [await deploy(ws, 'first'), await deploy(ws, 'second')];
    await allRunning(ws);
    const plan = (await call('GET', `/workspaces/${ws}/streaming-tokens/rotation-plan`)).json();
    assert.equal(plan.verdict, 'in-use');
    assert.equal(plan.recommendedMode, 'zero-downtime');
    assert.deepEqual(plan.deploymentsOnToken1.map((d: { name: string }) => d.name).sort(), [
      'first',
      'second',
    ]);

    const id = await start(ws, { mode: 'zero-downtime', quietSeconds: 2 });
    const done = await ended(ws, id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    assert.deepEqual(
      done.steps.map((s: { name: string; state: string }) => `${s.name}:${s.state}`),
      ['move-deployments:done', 'wait-quiet:done', 'rotate:done', 'restart-deployments:skipped'],
    );
    assert.deepEqual(
      done.steps[0].deployments.map((d: { downtimeMs: number }) => d.downtimeMs),
      [0, 0],
    );
    assert.equal(done.brokerCutoff, null, 'no broker behind this portal');

    // Each move: the instance on Token 2 started, and was ready, before the one on Token 1 stopped;
    // and the second deployment's move began only after the first's ended.
    const logs = await Promise.all(
      ids.map(async (d) => (await call('GET', `/workspaces/${ws}/deployments/${d}/logs?tail=100`)).body),
    );
    const times = logs.map((text) => ({
      startedOnToken2: Date.parse(
        /\[streamgate (\S+)\] started replica 0 \(pid \d+\) with Token 2/.exec(text)![1]!,
      ),
      oldStopping: Date.parse(/\[streamgate (\S+)\] stopping replica 0/.exec(text)![1]!),
    }));
    for (const t of times) assert.ok(t.startedOnToken2 < t.oldStopping, 'new up before old stops');
    assert.ok(times[0]!.oldStopping <= times[1]!.startedOnToken2, 'one deployment at a time');

    const after = await h.streamingTokens(ws);
    assert.equal(after.token1, before.token2, 'Token 2 took the place of Token 1');
    assert.equal(await status(before.token1, ws), 401, 'the old Token 1 is refused');
    for (const d of ids) {
      const now = (await call('GET', `/workspaces/${ws}/deployments/${d}`)).json();
      assert.equal(now.tokenSlot, 1);
      assert.equal(now.status, 'Running');
      assert.equal(now.restartRequired, false);
    }
    const audit = (await call('GET', `/audit?workspaceId=${ws}&limit=100`)).json();
    const actions = audit.entries.map((e: { action: string }) => e.action);
    for (const action of [
      'rotation_run.start',
      'rotation_run.step',
      'streaming_tokens.rotate',
      'rotation_run.end',
    ])
      assert.ok(actions.includes(action), action);
  });

  it('waits for an outside client of Token 1 and lists it; force goes on', async () => {
    const ws = await newWorkspace();
    const { token1 } = await h.streamingTokens(ws);
    await deploy(ws, 'svc');
    await allRunning(ws);
    let using = true;
    const outside = (async () => {
      while (using) {
        await h.inject({
          method: 'GET',
          url: `/workspaces/${ws}`,
          headers: { ...bearer(token1), 'user-agent': 'legacy-service/1.0' },
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    try {
      const plan = (await call('GET', `/workspaces/${ws}/streaming-tokens/rotation-plan`)).json();
      assert.ok(plan.outsideClients.some((c: { userAgent: string }) => c.userAgent === 'legacy-service/1.0'));
      const id = await start(ws, { mode: 'zero-downtime', quietSeconds: 3 });
      const waiting = await waitFor('the run to wait for the client', async () => {
        const now = await run(ws, id);
        const wait = now.steps[1];
        return (
          wait.state === 'running' &&
          wait.clients.some((c: { userAgent: string }) => c.userAgent === 'legacy-service/1.0') &&
          now
        );
      });
      assert.equal(waiting.status, 'running');
      assert.equal(await status(token1, ws), 200, 'still valid while the run waits');
      const forced = await call('POST', `/workspaces/${ws}/streaming-tokens/rotations/${id}/force`);
      assert.equal(forced.statusCode, 200, forced.body);
      const done = await ended(ws, id);
      assert.equal(done.status, 'succeeded');
      assert.match(done.steps[1].detail, /forced/);
      assert.equal(await status(token1, ws), 401);
    } finally {
      using = false;
      await outside;
    }
  });

  it('cancel stops a waiting run with everything working; a rotated run cannot be cancelled', async () => {
    const ws = await newWorkspace();
    const pair = await h.streamingTokens(ws);
    const id = await start(ws, { mode: 'zero-downtime', quietSeconds: 3600 });
    await waitFor('wait-quiet', async () => (await run(ws, id)).steps[1].state === 'running');
    const second = await call(
      'POST',
      `/workspaces/${ws}/streaming-tokens/rotations`,
      { mode: 'zero-downtime' },
      {
        'if-match': pair.etag,
      },
    );
    assert.equal(second.statusCode, 409, 'one run at a time');
    assert.match(second.json().message, /already running/);
    const cancelled = await call('POST', `/workspaces/${ws}/streaming-tokens/rotations/${id}/cancel`);
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json().status, 'cancelled');
    assert.equal(await status(pair.token1, ws), 200);
    assert.equal(await status(pair.token2, ws), 200);
    const again = await call('POST', `/workspaces/${ws}/streaming-tokens/rotations/${id}/cancel`);
    assert.equal(again.statusCode, 409);

    const quick = await start(ws, { mode: 'restart-deployments' });
    await ended(ws, quick);
    const late = await call('POST', `/workspaces/${ws}/streaming-tokens/rotations/${quick}/cancel`);
    assert.equal(late.statusCode, 409);
  });

  it('restart-deployments: rotates at once, restarts what ran on Token 1, reports each downtime', async () => {
    const ws = await newWorkspace();
    const before = await h.streamingTokens(ws);
    const onToken1 = await deploy(ws, 'on-one');
    const onToken2Response = await call('POST', `/workspaces/${ws}/deployments`, {
      name: 'on-two',
      command: forever,
      tokenSlot: 2,
    });
    const onToken2 = onToken2Response.json().deploymentId as string;
    await allRunning(ws);
    const id = await start(ws, { mode: 'restart-deployments' });
    const done = await ended(ws, id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done));
    const restart = done.steps[1];
    assert.deepEqual(
      restart.deployments.map((d: { deploymentId: string }) => d.deploymentId),
      [onToken1],
    );
    assert.equal(typeof restart.deployments[0].downtimeMs, 'number');
    assert.ok(restart.deployments[0].downtimeMs >= 0);
    const moved = (await call('GET', `/workspaces/${ws}/deployments/${onToken1}`)).json();
    const plan = (await call('GET', `/workspaces/${ws}/streaming-tokens/rotation-plan`)).json();
    assert.equal(moved.tokenId, plan.token1.id, 'it runs with the new Token 1');
    assert.notEqual((await h.streamingTokens(ws)).token1, before.token1);
    assert.equal(moved.tokenSlot, 1);
    assert.deepEqual(moved.runningTokenIds, [moved.tokenId]);
    const untouched = (await call('GET', `/workspaces/${ws}/deployments/${onToken2}`)).json();
    assert.equal(untouched.tokenSlot, 1, 'Token 2 became Token 1; its deployment was not restarted');
    assert.equal(untouched.restartRequired, false);
  });

  it('a run that cannot finish fails before rotating, with nothing broken', async () => {
    const ws = await newWorkspace();
    const pair = await h.streamingTokens(ws);
    const stuck = await deploy(ws, 'stuck', onlyOnToken(pair.token1));
    await allRunning(ws);
    const id = await start(ws, { mode: 'zero-downtime', quietSeconds: 1, timeoutSeconds: 10 });
    const done = await ended(ws, id, 40_000);
    assert.equal(done.status, 'failed');
    assert.match(done.error, /Timed out after 10 s in step move-deployments/);
    assert.deepEqual(
      done.steps.map((s: { state: string }) => s.state),
      ['failed', 'skipped', 'skipped', 'skipped'],
    );
    assert.equal(await status(pair.token1, ws), 200, 'Token 1 was not rotated');
    assert.equal(await status(pair.token2, ws), 200);
    const d = (await call('GET', `/workspaces/${ws}/deployments/${stuck}`)).json();
    assert.equal(d.tokenSlot, 2, 'it is set to run on Token 2, which survives every rotation');
    assert.ok(
      d.runningTokenIds.includes(d.tokenId) || d.runningTokenIds.length > 0,
      'its old instance still serves',
    );
    assert.ok(
      (await h.portal.store.findDeployment(ws, stuck))!.observed.instances.some((i) => i.readyAt !== null),
      'the instance on Token 1 was never stopped',
    );
  });

  it('refuses a run without If-Match (428), with a stale one (409), and to a non-Admin (403)', async () => {
    const ws = await newWorkspace();
    const url = `/workspaces/${ws}/streaming-tokens/rotations`;
    assert.equal((await call('POST', url, { mode: 'zero-downtime' })).statusCode, 428);
    assert.equal(
      (await call('POST', url, { mode: 'zero-downtime' }, { 'if-match': '"st-a.st-b"' })).statusCode,
      409,
    );
    assert.equal((await call('POST', url, { mode: 'sideways' }, { 'if-match': '"x"' })).statusCode, 400);
    assert.equal(
      (await call('POST', url, { mode: 'zero-downtime', quietSeconds: -1 }, { 'if-match': '"x"' }))
        .statusCode,
      400,
    );
    const manager = await h.userWithRole('Manager');
    const etag = (await h.streamingTokens(ws)).etag;
    const refused = await h.inject({
      method: 'POST',
      url,
      headers: { ...manager.headers, 'if-match': etag },
      payload: { mode: 'zero-downtime' },
    });
    assert.equal(refused.statusCode, 403);
    assert.equal((await h.portal.store.listRotationRuns(ws, 10)).length, 0, 'nothing was started');
  });
});
