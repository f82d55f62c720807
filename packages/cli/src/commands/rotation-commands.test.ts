// tokens rotate --zero-downtime / --restart-deployments, tokens rotation show / cancel, against a
// real portal running deployments as processes, with a short broker JWT lifetime and small quiet
// windows so that runs end in seconds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cliSuite } from '../../test-support/cli-suite.ts';

const suite = cliSuite({
  patName: 'rotation tests',
  portalEnv: { STREAMGATE_RUNNER: 'process', STREAMGATE_BROKER_JWT_TTL_SECONDS: '10' },
  viewer: 'viewer@rotation.test',
});
const { cli, deploymentUntil: until } = suite;

const ticker = ['node', '-e', "setInterval(() => console.log('tick'), 200)"];

async function workspaceWithDeployments(ws: string, names: string[]) {
  await suite.portal.createWorkspace(ws);
  for (const name of names) {
    const reply = await suite.portal.api(
      'POST',
      `/workspaces/${ws}/deployments`,
      { session: suite.portal.admin },
      { json: { name, command: ticker } },
    );
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
  }
  for (const name of names) await until(ws, name, (d) => d.status === 'Running');
}

/** A client outside the platform using Token 1, as the portal records it. */
async function useToken(token: string) {
  const reply = await suite.portal.api(
    'GET',
    '/workspaces',
    { token },
    { headers: { 'user-agent': 'outside-app/2.0' } },
  );
  assert.equal(reply.status, 200);
}

const runOf = async (ws: string, rotationId: string) =>
  (
    await suite.portal.api('GET', `/workspaces/${ws}/streaming-tokens/rotations/${rotationId}`, {
      session: suite.portal.admin,
    })
  ).body;

const startedId = (output: string) => /Started rotation run (\S+)\./.exec(output)![1]!;

describe('tokens rotate --zero-downtime', () => {
  test('shows the plan and the verdict, moves the deployments, rotates; each step change printed once', async () => {
    await workspaceWithDeployments('zd', ['producer', 'consumer']);
    const before = await suite.portal.tokens('zd');
    const run = await cli(['tokens', 'rotate', 'zd', '--zero-downtime', '--quiet-seconds', '1', '--yes']);
    assert.equal(run.code, 0, run.stderr);

    assert.match(run.stderr, /^Rotating the streaming tokens of workspace 'zd' with zero downtime:\n/);
    assert.match(run.stderr, /\nThe portal's verdict on Token 1: in-use\. \S.*\n/);
    assert.match(
      run.stderr,
      /\nDeployments on Token 1 \(they will be moved to Token 2\):\n +NAME +ID +STATUS\n/,
    );
    assert.match(run.stderr, /\n +producer +dep-\S+ +Running\n/);
    assert.match(run.stderr, /\n +consumer +dep-\S+ +Running\n/);
    assert.match(run.stderr, /\nStarted rotation run \S+\.\n/);
    // Not a terminal: one line per change of a step.
    assert.match(run.stderr, /\n {2}move-deployments: running/);
    assert.match(
      run.stderr,
      /\n {2}move-deployments: done in [\d.]+ s; .*(producer done.*consumer done|consumer done.*producer done)/,
    );
    assert.match(run.stderr, /\n {2}wait-quiet: done/);
    assert.match(run.stderr, /\n {2}rotate: done/);
    assert.match(run.stderr, /\nrot\S*: succeeded\n/);
    const lines = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('  ') && /^ {2}[a-z-]+: /.test(line));
    assert.equal(new Set(lines).size, lines.length, `no step line twice:\n${lines.join('\n')}`);

    assert.match(
      run.stdout,
      /^Rotated the streaming tokens of workspace zd \(rotation run \S+, zero-downtime, [\d.]+ s\)\.\n/,
    );
    assert.match(
      run.stdout,
      new RegExp(`\\n {2}deactivated: ${before.token1.id} \\(the former Token 1\\)\\n`),
    );
    assert.match(
      run.stdout,
      /\n {2}moved to Token 2 first: (producer|consumer) \(down [\d.]+ s\), (consumer|producer) \(down [\d.]+ s\)\n/,
    );

    const after = await suite.portal.tokens('zd');
    assert.equal(after.token1.id, before.token2.id);
    for (const name of ['producer', 'consumer']) {
      const moved = await until('zd', name, () => true);
      assert.equal(moved.tokenId, before.token2.id, `${name} runs on the former Token 2`);
      assert.equal(moved.tokenSlot, 1);
    }
    const old = await suite.portal.api('GET', '/workspaces', { token: before.token1.value });
    assert.equal(old.status, 401);
  });

  test('--restart-deployments --json: rotates, restarts the deployments on the new Token 1, with downtimes', async () => {
    await workspaceWithDeployments('rr', ['worker']);
    const before = await suite.portal.tokens('rr');
    const run = await cli(['tokens', 'rotate', 'rr', '--restart-deployments', '--yes', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stderr,
      /Rotating the streaming tokens of workspace 'rr', then restarting its deployments:/,
    );
    assert.match(run.stderr, /Deployments on Token 1 \(they will be restarted on the new Token 1\):/);
    const body = JSON.parse(run.stdout);
    assert.equal(body.status, 'succeeded');
    assert.equal(body.mode, 'restart-deployments');
    assert.deepEqual(
      body.steps.map((step: { name: string }) => step.name),
      ['rotate', 'restart-deployments'],
    );
    const restarted = body.steps[1].deployments;
    assert.equal(restarted[0].name, 'worker');
    assert.equal(typeof restarted[0].downtimeMs, 'number');
    assert.equal((await suite.portal.tokens('rr')).token1.id, before.token2.id);
    assert.match(run.stderr, /\nrot\S*: succeeded\n/, 'progress on stderr, JSON alone on stdout');
    const worker = await until('rr', 'worker', (d) => d.status === 'Running');
    assert.equal(worker.tokenId, before.token2.id);
  });

  test('a Viewer sees the plan refused; cancel is the portal’s 403', async () => {
    await suite.portal.createWorkspace('vw');
    const pair = await suite.portal.tokens('vw');
    const run = await cli(['tokens', 'rotate', 'vw', '--zero-downtime', '--yes'], suite.viewerEnv);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /Only an Admin of workspace 'vw' can rotate/);
    const cancel = await cli(['tokens', 'rotation', 'cancel', 'vw', 'rot-nothing'], suite.viewerEnv);
    assert.equal(cancel.code, 1);
    assert.match(cancel.stderr, /\(HTTP 40[34], PORTAL_\w+; correlation id /);
    assert.equal((await suite.portal.tokens('vw')).etag, pair.etag);
  });
});

describe('a run that waits for an outside client', () => {
  /** Starts a run that waits in wait-quiet for an outside client of Token 1 (60 s quiet). */
  async function waitingRun(ws: string, extra: string[] = []) {
    await workspaceWithDeployments(ws, ['svc']);
    const pair = await suite.portal.tokens(ws);
    await useToken(pair.token1.value);
    const watcher = suite.startCli([
      'tokens',
      'rotate',
      ws,
      '--zero-downtime',
      '--quiet-seconds',
      '60',
      '--yes',
      ...extra,
    ]);
    const output = await watcher.waitFor(/wait-quiet: running/);
    return { pair, watcher, rotationId: startedId(output) };
  }

  test('the plan lists the outside client; show and cancel; the watcher ends non-zero; nothing rotated', async () => {
    const { pair, watcher, rotationId } = await waitingRun('cx');
    const plan = await watcher.waitFor(/Outside clients/);
    assert.match(
      plan,
      /Outside clients still using Token 1 in the last \d+ s \(the run waits until they stop\):/,
    );
    assert.match(plan, /outside-app\/2\.0 +127\.0\.0\.1 +- +(just now|\d+ \w+ ago)/);

    const show = await cli(['tokens', 'rotation', 'show', 'cx', rotationId]);
    assert.equal(show.code, 0, show.stderr);
    assert.match(
      show.stdout,
      new RegExp(`^Rotation run ${rotationId} \\(zero-downtime\\) of workspace 'cx': running\\n`),
    );
    assert.match(
      show.stdout,
      /\n {2}> wait-quiet: running; .*waiting for 1 outside client: outside-app\/2\.0 at 127\.0\.0\.1/,
    );

    const again = await cli(['tokens', 'rotate', 'cx', '--restart-deployments', '--yes']);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      new RegExp(`Rotation run ${rotationId} \\(zero-downtime\\) of workspace 'cx' is still running`),
    );

    const cancel = await cli(['tokens', 'rotation', 'cancel', 'cx', rotationId]);
    assert.equal(cancel.code, 0, cancel.stderr);
    const { code, stderr } = await watcher.exit;
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`error: Rotation run ${rotationId} was cancelled`));
    assert.match(stderr, /Token 1 was not rotated: both tokens are still valid/);
    assert.equal((await suite.portal.tokens('cx')).token1.id, pair.token1.id);
    assert.equal((await runOf('cx', rotationId)).status, 'cancelled');
    assert.equal((await suite.portal.api('GET', '/workspaces', { token: pair.token1.value })).status, 200);
  });

  test('a run that times out fails before rotating: its error, exit 1, both tokens still valid', async () => {
    const { pair, watcher, rotationId } = await waitingRun('to', ['--timeout-seconds', '10']);
    const { code, stderr } = await watcher.exit;
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`\\nerror: Rotation run ${rotationId} failed: \\S`));
    assert.match(stderr, /Token 1 was not rotated: both tokens are still valid/);
    assert.equal((await runOf('to', rotationId)).status, 'failed');
    assert.equal((await suite.portal.tokens('to')).token1.id, pair.token1.id);
    assert.equal((await suite.portal.api('GET', '/workspaces', { token: pair.token1.value })).status, 200);
  });

  test('Ctrl-C with --detach leaves the run running and prints its id', async () => {
    const { watcher, rotationId } = await waitingRun('dt', ['--detach']);
    watcher.interrupt();
    const { code, stdout, stderr } = await watcher.exit;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, `${rotationId}\n`);
    assert.match(stderr, new RegExp(`Cancel it: streamgate-cli tokens rotation cancel dt ${rotationId}`));
    assert.equal((await runOf('dt', rotationId)).status, 'running');
    assert.equal((await cli(['tokens', 'rotation', 'cancel', 'dt', rotationId])).code, 0);
  });

  test('Ctrl-C without a terminal cannot ask: the run keeps running, exit 1', async () => {
    const { watcher, rotationId } = await waitingRun('nt');
    watcher.interrupt();
    const { code, stderr } = await watcher.exit;
    assert.equal(code, 1);
    assert.match(
      stderr,
      new RegExp(`error: Interrupted: rotation run ${rotationId} keeps running on the portal`),
    );
    assert.equal((await runOf('nt', rotationId)).status, 'running');
    assert.equal((await cli(['tokens', 'rotation', 'cancel', 'nt', rotationId])).code, 0);
  });

  test('on a terminal, Ctrl-C asks whether to cancel; yes cancels', async () => {
    await workspaceWithDeployments('tt', ['svc']);
    const pair = await suite.portal.tokens('tt');
    await useToken(pair.token1.value);
    const session = suite.cliOnTerminal([
      'tokens',
      'rotate',
      'tt',
      '--zero-downtime',
      '--quiet-seconds',
      '60',
    ]);
    await session.waitFor(/Rotate the streaming tokens of 'tt' now\? \[y\/N\] /);
    session.type('y\r');
    const output = await session.waitFor(/> wait-quiet: running/);
    const rotationId = startedId(output);
    session.type('\x03');
    await session.waitFor(new RegExp(`Cancel rotation run ${rotationId}\\? .*\\[y/N\\] `));
    session.type('y\r');
    const { code, output: all } = await session.exit;
    assert.equal(code, 1, all);
    assert.match(all, new RegExp(`Cancelling rotation run ${rotationId} \\.\\.\\.`));
    assert.match(all, new RegExp(`error: Rotation run ${rotationId} was cancelled`));
    assert.equal((await runOf('tt', rotationId)).status, 'cancelled');
    assert.equal((await suite.portal.tokens('tt')).token1.id, pair.token1.id);
  });
});
