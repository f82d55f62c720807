// tokens show / tokens rotate / env against a real portal process; the interactive rotation
// on a pseudo-terminal.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { cliSuite } from '../../test-support/cli-suite.ts';

const suite = cliSuite({ patName: 'tokens tests' });
const { cli } = suite;

/** A service using a streaming token against the API, as the portal records it. */
async function useToken(token: string, userAgent: string, deploymentId: string) {
  const reply = await suite.portal.api(
    'GET',
    '/workspaces',
    { token },
    {
      headers: { 'user-agent': userAgent, 'x-deployment-id': deploymentId },
    },
  );
  assert.equal(reply.status, 200);
}

describe('tokens show', () => {
  before(() => suite.portal.createWorkspace('show'));

  test('masks the values by default and shows usage and recent clients', async () => {
    const pair = await suite.portal.tokens('show');
    await useToken(pair.token1.value, 'quixstreams/3.2 python/3.12', 'dep-orders');
    const run = await cli(['tokens', 'show', 'show']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!run.stdout.includes(pair.token1.value) && !run.stdout.includes(pair.token2.value));
    assert.match(
      run.stdout,
      new RegExp(`Token 1 +${pair.token1.id} +sgs_\\*{8}${pair.token1.value.slice(-4)} `),
    );
    assert.match(
      run.stdout,
      new RegExp(`Token 2 +${pair.token2.id} +sgs_\\*{8}${pair.token2.value.slice(-4)} .* never`),
    );
    assert.match(
      run.stdout,
      /Recent clients of Token 1:\n +USER AGENT +ADDRESS +DEPLOYMENT +LAST USED\n +quixstreams\/3\.2 python\/3\.12 +127\.0\.0\.1 +dep-orders +(just now|\d+ \w+ ago)/,
    );
    assert.match(run.stdout, /Token 2: no recorded clients\./);
    assert.match(run.stderr, /Values are masked; --reveal prints them\./);
  });

  test('--reveal prints the values', async () => {
    const pair = await suite.portal.tokens('show');
    const run = await cli(['tokens', 'show', 'show', '--reveal']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(pair.token1.value) && run.stdout.includes(pair.token2.value));
  });

  test('--json carries the ETag and no values unless revealed', async () => {
    const pair = await suite.portal.tokens('show');
    const masked = JSON.parse((await cli(['tokens', 'show', 'show', '--json'])).stdout);
    assert.equal(masked.etag, pair.etag);
    assert.equal(masked.token1.id, pair.token1.id);
    assert.equal(masked.token1.value, undefined);
    assert.equal(masked.token1.recentClients[0].deploymentId, 'dep-orders');
    const revealed = JSON.parse((await cli(['tokens', 'show', 'show', '--json', '--reveal'])).stdout);
    assert.equal(revealed.token2.value, pair.token2.value);
  });

  test('a Viewer sees usage but no values; --reveal is refused', async () => {
    const viewer = await suite.portal.createUser('viewer@example.test', 'Viewer');
    const pat = await suite.portal.createPat({ session: viewer.session, name: 'viewer' });
    const viewerEnv = { STREAMGATE_TOKEN: pat.token };
    const pair = await suite.portal.tokens('show');
    const run = await cli(['tokens', 'show', 'show'], viewerEnv);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Token 1 +st-\S+ +\(hidden for your role\)/);
    const reveal = await cli(['tokens', 'show', 'show', '--reveal'], viewerEnv);
    assert.equal(reveal.code, 1);
    assert.match(reveal.stderr, /cannot view token values \(Admin, Manager and Editor can\)/);
    const rotate = await cli(['tokens', 'rotate', 'show', '--yes'], viewerEnv);
    assert.equal(rotate.code, 1);
    assert.match(rotate.stderr, /Only an Admin of workspace 'show' can rotate/);
    assert.equal((await suite.portal.tokens('show')).etag, pair.etag, 'nothing rotated');
  });

  test('an unknown workspace is the server’s 404 message, exit 1', async () => {
    const run = await cli(['tokens', 'show', 'nowhere']);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /error: Workspace 'nowhere' does not exist or you have no access to it\.\n {2}\(HTTP 404, PORTAL_NOT_FOUND; correlation id /,
    );
  });
});

describe('env', () => {
  before(() => suite.portal.createWorkspace('envws'));

  test('prints the .env lines with Token 2', async () => {
    const pair = await suite.portal.tokens('envws');
    const run = await cli(['env', 'envws']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      `Quix__Sdk__Token=${pair.token2.value}\nQuix__Portal__Api=${suite.portal.url}\nQuix__Workspace__Id=envws\n`,
    );
  });
});

describe('tokens rotate', () => {
  before(() => suite.portal.createWorkspace('rot'));

  test('without --yes and without a terminal it shows the plan and refuses (exit 2); nothing rotates', async () => {
    const pair = await suite.portal.tokens('rot');
    await useToken(pair.token1.value, 'orders-service/1.4', 'dep-42');
    const run = await cli(['tokens', 'rotate', 'rot']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`Token 1 \\(${pair.token1.id}\\) is deactivated`));
    // The portal's verdict, as it gives it: the CLI has no rule of its own about "in use".
    assert.match(run.stderr, /\nWARNING: The portal's verdict on Token 1: in-use\. \S.*\n/);
    assert.match(
      run.stderr,
      /Outside clients still using Token 1 in the last \d+ s \(they lose access within seconds\):/,
    );
    assert.match(run.stderr, /orders-service\/1\.4 +127\.0\.0\.1 +dep-42 +(just now|\d+ \w+ ago)/);
    assert.match(run.stderr, /Not rotating: stdin is not a terminal.*Add --yes/);
    assert.equal((await suite.portal.tokens('rot')).etag, pair.etag, 'the pair is unchanged');
  });

  test('--yes rotates: the old Token 1 is refused by the API, Token 2 keeps working', async () => {
    const before = await suite.portal.tokens('rot');
    const run = await cli(['tokens', 'rotate', 'rot', '--yes']);
    assert.equal(run.code, 0, run.stderr);
    const after = await suite.portal.tokens('rot');
    assert.equal(after.token1.id, before.token2.id);
    assert.notEqual(after.token2.id, before.token2.id);
    assert.match(run.stdout, new RegExp(`deactivated: ${before.token1.id}`));
    assert.match(run.stdout, new RegExp(`Token 1: +${before.token2.id} \\(the former Token 2\\)`));
    assert.match(run.stdout, new RegExp(`Token 2: +${after.token2.id} \\(new\\)`));

    const old = await suite.portal.api('GET', '/workspaces', { token: before.token1.value });
    assert.equal(old.status, 401);
    assert.equal(old.body.code, 'PORTAL_TOKEN_REVOKED');
    assert.equal((await suite.portal.api('GET', '/workspaces', { token: before.token2.value })).status, 200);
  });

  test('--yes --json prints the new pair without values', async () => {
    const before = await suite.portal.tokens('rot');
    const run = await cli(['tokens', 'rotate', 'rot', '--yes', '--json']);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout);
    const after = await suite.portal.tokens('rot');
    assert.equal(body.token1.id, before.token2.id);
    assert.equal(body.etag, after.etag);
    assert.equal(body.token2.value, undefined);
    assert.ok(!run.stdout.includes(after.token2.value));
  });

  test('on a terminal it asks; "n" rotates nothing (exit 1)', async () => {
    const before = await suite.portal.tokens('rot');
    const session = suite.cliOnTerminal(['tokens', 'rotate', 'rot']);
    await session.waitFor(/Rotate the streaming tokens of 'rot' now\? \[y\/N\] /);
    session.type('n\r');
    const { code, output } = await session.exit;
    assert.equal(code, 1, output);
    assert.match(output, /error: Nothing was rotated\./);
    assert.equal((await suite.portal.tokens('rot')).etag, before.etag);
  });

  test('on a terminal, "y" rotates', async () => {
    const before = await suite.portal.tokens('rot');
    const session = suite.cliOnTerminal(['tokens', 'rotate', 'rot']);
    await session.waitFor(/\[y\/N\] /);
    session.type('y\r');
    const { code, output } = await session.exit;
    assert.equal(code, 0, output);
    assert.equal((await suite.portal.tokens('rot')).token1.id, before.token2.id);
  });

  test('someone rotating between the read and the confirmation: the server’s 409, explained; one rotation only', async () => {
    const seen = await suite.portal.tokens('rot');
    const session = suite.cliOnTerminal(['tokens', 'rotate', 'rot']);
    await session.waitFor(/\[y\/N\] /); // the CLI has read the pair and its ETag
    const other = await suite.portal.api(
      'POST',
      '/workspaces/rot/streaming-tokens/rotate',
      { session: suite.portal.admin },
      {
        headers: { 'if-match': seen.etag },
      },
    );
    assert.equal(other.status, 200);
    session.type('y\r');
    const { code, output } = await session.exit;
    assert.equal(code, 1, output);
    assert.match(
      output,
      /error: The token pair changed since you read it \(someone rotated first\); nothing was rotated\./,
    );
    assert.match(
      output,
      /\(HTTP 409, PORTAL_CONFLICT; correlation id [\w-]+\)\r?\n\r?\nSomeone else rotated the tokens of 'rot' after this command read them/,
    );
    assert.match(
      output,
      new RegExp(
        `What you asked for has already happened: ${seen.token1.id} is deactivated, ${seen.token2.id} is Token 1`,
      ),
    );
    assert.match(output, /Rotating again now would also deactivate the token that was Token 2 a moment ago/);
    const now = await suite.portal.tokens('rot');
    assert.equal(now.token1.id, seen.token2.id, 'rotated once, by the other admin');
    assert.equal(now.token2.id, other.body.token2.id);
  });
});
