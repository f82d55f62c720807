// deployments list/show/create/update/start/stop/restart/logs/delete against a real portal that
// runs the deployments as processes (STREAMGATE_RUNNER=process): tiny real commands.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Reply } from '../../test-support/cli-harness.ts';
import { cliSuite } from '../../test-support/cli-suite.ts';

const ws = 'deps';
const suite = cliSuite({
  patName: 'deployment tests',
  portalEnv: { STREAMGATE_RUNNER: 'process', STREAMGATE_BROKER_JWT_TTL_SECONDS: '10' },
  workspaces: [ws],
  viewer: 'viewer@deps.test',
});
const { cli } = suite;
const secret = 'hunter2-very-secret-value';

// Prints a tick every 200 ms, and whether the secret arrived: compared by its hash, so that the
// secret is nowhere in the command (which the portal shows).
const secretHash = createHash('sha256').update(secret).digest('hex');
const ticker = [
  'node',
  '-e',
  `const ok = require('node:crypto').createHash('sha256').update(process.env.PASSWORD ?? '').digest('hex') === '${secretHash}'; console.log(ok ? 'secret ok' : 'secret missing'); setInterval(() => console.log('tick'), 200)`,
];

const deployments = async (): Promise<Reply['body'][]> =>
  (await suite.portal.api('GET', `/workspaces/${ws}/deployments`, { session: suite.portal.admin })).body;
const deployment = async (name: string) => (await deployments()).find((d) => d.name === name);
const until = (name: string, check: (d: Reply['body']) => boolean) => suite.deploymentUntil(ws, name, check);

const assertNoSecret = (...texts: string[]) => {
  for (const text of texts) assert.ok(!text.includes(secret), 'the secret value is never printed');
};

describe('deployments', () => {
  test('create: the command after --, variables, a secret that is never printed', async () => {
    const run = await cli([
      'deployments',
      'create',
      ws,
      '--name',
      'ticker',
      '--env',
      'MODE=demo',
      '--secret',
      `PASSWORD=${secret}`,
      '--',
      ...ticker,
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Created deployment ticker \(dep-\S+\) in workspace deps: \w+, Token 1\.\n$/);
    assertNoSecret(run.stdout, run.stderr);
    const created = await deployment('ticker');
    assert.deepEqual(created.command, ticker);
    assert.deepEqual(created.variables.MODE, { value: 'demo', secret: false });
    assert.equal(created.variables.PASSWORD.secret, true);
    assert.equal(created.variables.PASSWORD.value, undefined);
    assert.equal(created.desiredState, 'Running');
  });

  test('--json, --token-slot 2, --no-start: the answer without the secret', async () => {
    const run = await cli([
      'deployments',
      'create',
      ws,
      '--name',
      'idle',
      '--token-slot',
      '2',
      '--replicas',
      '2',
      '--no-start',
      '--image',
      'registry.example/idle:1.0',
      '--secret',
      `PASSWORD=${secret}`,
      '--json',
      '--',
      'node',
      '-e',
      'setInterval(() => {}, 1000)',
    ]);
    assert.equal(run.code, 0, run.stderr);
    assertNoSecret(run.stdout, run.stderr);
    const body = JSON.parse(run.stdout);
    assert.equal(body.name, 'idle');
    assert.equal(body.tokenSlot, 2);
    assert.equal(body.replicas, 2);
    assert.equal(body.desiredState, 'Stopped');
    assert.equal(body.image, 'registry.example/idle:1.0', 'kept for a Kubernetes runner');
    assert.deepEqual(body.variables.PASSWORD, { secret: true });
    assert.equal(body.tokenId, (await suite.portal.tokens(ws)).token2.id);
  });

  test('list: a table with status, token, readiness, restarts and last exit', async () => {
    await until('ticker', (d) => d.status === 'Running' && d.replicasReady === 1);
    const run = await cli(['deployments', 'list', ws]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^NAME +STATUS +TOKEN +READY +RESTARTS +LAST EXIT\n/);
    assert.match(run.stdout, /\nticker +Running +Token 1 +1\/1 +0 +-\n/);
    assert.match(run.stdout, /\nidle +Stopped +Token 2 +0\/2 +0 +-\n/);
    const json = await cli(['deployments', 'list', ws, '--json']);
    assertNoSecret(json.stdout);
    assert.deepEqual(
      JSON.parse(json.stdout)
        .map((d: { name: string }) => d.name)
        .sort(),
      ['idle', 'ticker'],
    );
  });

  test('show: by name or id; the secret by name only, also in --json', async () => {
    const { deploymentId } = await deployment('ticker');
    const run = await cli(['deployments', 'show', ws, 'ticker']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^Name: +ticker\\nID: +${deploymentId}\\nStatus: +Running; wanted Running\\n`),
    );
    assert.match(run.stdout, /\nCommand: +node -e 'const ok = require\('\\''node:crypto'\\''\)/);
    assert.match(run.stdout, /\nVariables: +MODE=demo\n +PASSWORD=\(secret\)\n/);
    const json = await cli(['deployments', 'show', ws, deploymentId, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).variables.PASSWORD, { secret: true });
    assertNoSecret(run.stdout, json.stdout);
  });

  test('logs: what the service printed (the secret arrived, unprinted); --tail', async () => {
    await until('ticker', () => true);
    let run = await cli(['deployments', 'logs', ws, 'ticker']);
    for (let attempt = 0; attempt < 50 && !/tick\n/.test(run.stdout); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      run = await cli(['deployments', 'logs', ws, 'ticker']);
    }
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /secret ok/);
    assert.match(run.stdout, /tick\n/);
    assertNoSecret(run.stdout);
    const tail = await cli(['deployments', 'logs', ws, 'ticker', '--tail', '1', '--json']);
    assert.equal(tail.code, 0, tail.stderr);
    assert.equal(JSON.parse(tail.stdout).lines.length, 1);
  });

  test('logs --follow streams until Ctrl-C, then exits 0', async () => {
    const follow = suite.startCli(['deployments', 'logs', ws, 'ticker', '--follow', '--tail', '1']);
    // --tail 1 gives one line; three ticks means it kept printing what came after.
    await follow.waitFor(/(tick\n[\s\S]*){3}/);
    follow.interrupt();
    const { code, stderr } = await follow.exit;
    assert.equal(code, 0, stderr);
  });

  test('update changes only what is given; secret values are kept without being sent', async () => {
    const run = await cli(['deployments', 'update', ws, 'ticker', '--env', 'EXTRA=1', '--replicas', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Updated deployment ticker \(dep-\S+\): replicas, variables\.\n$/);
    const updated = await deployment('ticker');
    assert.equal(updated.replicas, 2);
    assert.deepEqual(Object.keys(updated.variables).sort(), ['EXTRA', 'MODE', 'PASSWORD']);
    assert.equal(updated.variables.PASSWORD.secret, true);
    assert.deepEqual(updated.command, ticker, 'the command is unchanged');

    const unset = await cli(['deployments', 'update', ws, 'ticker', '--unset', 'EXTRA', '--replicas', '1']);
    assert.equal(unset.code, 0, unset.stderr);
    assert.deepEqual(Object.keys((await deployment('ticker')).variables).sort(), ['MODE', 'PASSWORD']);
  });

  test('stop, start, restart; the restarted service still gets its secret', async () => {
    const stop = await cli(['deployments', 'stop', ws, 'ticker']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(stop.stdout, /^Asked ticker \(dep-\S+\) to stop: \w+ now, wanted Stopped; Token 1/);
    await until('ticker', (d) => d.status === 'Stopped');

    const start = await cli(['deployments', 'start', ws, 'ticker']);
    assert.equal(start.code, 0, start.stderr);
    assert.match(start.stdout, /^Asked ticker \(dep-\S+\) to start: \w+ now, wanted Running; Token 1/);
    await until('ticker', (d) => d.status === 'Running');

    const restart = await cli(['deployments', 'restart', ws, 'ticker', '--json']);
    assert.equal(restart.code, 0, restart.stderr);
    assert.equal(JSON.parse(restart.stdout).name, 'ticker');
    const running = await until('ticker', (d) => d.status === 'Running' && !d.restartRequired);
    assert.equal(running.replicas, 1);
    const logs = await cli(['deployments', 'logs', ws, 'ticker']);
    assert.doesNotMatch(logs.stdout, /secret missing/);
  });

  test('bad input: the portal refuses (exit 1, its message); an unknown deployment; nothing created', async () => {
    const badName = await cli(['deployments', 'create', ws, '--name', 'Bad_Name', '--', 'node']);
    assert.equal(badName.code, 1);
    assert.match(badName.stderr, /^error: .+\n {2}\(HTTP 400, PORTAL_\w+; correlation id /);
    const duplicate = await cli(['deployments', 'create', ws, '--name', 'ticker', '--', 'node']);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /\(HTTP 409, PORTAL_\w+; correlation id /);
    const platformVariable = await cli([
      'deployments',
      'create',
      ws,
      '--name',
      'sneaky',
      '--env',
      'Quix__Sdk__Token=x',
      '--',
      'node',
    ]);
    assert.equal(platformVariable.code, 1);
    assert.match(platformVariable.stderr, /HTTP 400/);
    const unknown = await cli(['deployments', 'show', ws, 'nope']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: No deployment 'nope' in workspace 'deps'/);
    const unset = await cli(['deployments', 'update', ws, 'ticker', '--unset', 'NOPE']);
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /--unset NOPE: the deployment has no variable NOPE\./);
    assert.deepEqual((await deployments()).map((d) => d.name).sort(), ['idle', 'ticker']);
  });

  test('a Viewer reads deployments; changing or running them is the portal’s 403, exit 1', async () => {
    const list = await cli(['deployments', 'list', ws], suite.viewerEnv);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /\nticker +Running/);
    for (const args of [
      ['deployments', 'create', ws, '--name', 'mine', '--', 'node'],
      ['deployments', 'stop', ws, 'ticker'],
      ['deployments', 'logs', ws, 'ticker'],
      ['deployments', 'delete', ws, 'ticker', '--yes'],
    ]) {
      const run = await cli(args, suite.viewerEnv);
      assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /^error: .+\n {2}\(HTTP 403, PORTAL_\w+; correlation id /);
    }
    assert.equal((await deployment('ticker')).desiredState, 'Running', 'nothing changed');
  });

  test('delete: refused without a terminal and without --yes (exit 2); asks on a terminal; --yes deletes', async () => {
    const refused = await cli(['deployments', 'delete', ws, 'idle']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /Not deleting deployment idle .*Add --yes/);
    assert.ok(await deployment('idle'));

    const no = suite.cliOnTerminal(['deployments', 'delete', ws, 'idle']);
    await no.waitFor(/Delete idle\? \[y\/N\] /);
    no.type('n\r');
    assert.equal((await no.exit).code, 1);
    assert.ok(await deployment('idle'));

    const yes = suite.cliOnTerminal(['deployments', 'delete', ws, 'idle']);
    await yes.waitFor(/\[y\/N\] /);
    yes.type('y\r');
    const { code, output } = await yes.exit;
    assert.equal(code, 0, output);
    assert.equal(await deployment('idle'), undefined);

    const running = await cli(['deployments', 'delete', ws, 'ticker', '--yes', '--json']);
    assert.equal(running.code, 0, running.stderr);
    assert.equal(JSON.parse(running.stdout).deleted, true);
    assert.deepEqual(await deployments(), []);
  });
});
