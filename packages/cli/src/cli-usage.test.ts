// The command line itself: help, usage errors (exit 2), missing configuration, unreachable
// portals. No portal is needed; where a request could be sent, a recording server listens.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, tempConfigHome } from '../test-support/cli-harness.ts';

const home = tempConfigHome();
after(() => home.remove());
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { configHome: home.dir, env });

describe('help', () => {
  test('--help lists every command and exits 0', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0);
    for (const command of [
      'login',
      'tokens rotate',
      'tokens rotation show',
      'tokens rotation cancel',
      'deployments list',
      'deployments create',
      'deployments logs',
      'deployments delete',
      'pats create',
      'topics delete',
      'members set',
      'audit',
      'env',
    ]) {
      assert.match(run.stdout, new RegExp(`\\n  ${command} `));
    }
  });

  test('a command’s --help shows its usage and examples', async () => {
    const run = await cli(['tokens', 'rotate', '--help']);
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /^Usage: streamgate-cli tokens rotate <workspace> \[--zero-downtime\] \[--restart-deployments\] .*\[--yes\]\n/,
    );
    assert.match(run.stdout, /Examples:\n {2}streamgate-cli tokens rotate acme/);
  });

  test('a command taking words after -- says so in its usage and help', async () => {
    const run = await cli(['deployments', 'create', '--help']);
    assert.equal(run.code, 0);
    assert.match(
      run.stdout,
      /^Usage: streamgate-cli deployments create <workspace> --name <name> .*\[-- <command>\.\.\.\]\n/,
    );
    assert.match(run.stdout, /\n {2}-- <command>\.\.\. +The program and its arguments/);
  });

  test('help with three words: the commands under tokens rotation, and one of them', async () => {
    const under = await cli(['help', 'tokens', 'rotation']);
    assert.equal(under.code, 0);
    assert.match(
      under.stdout,
      /^Commands under 'tokens rotation':\n {2}tokens rotation show +.*\n {2}tokens rotation cancel /,
    );
    const one = await cli(['tokens', 'rotation', 'cancel', '--help']);
    assert.match(one.stdout, /^Usage: streamgate-cli tokens rotation cancel <workspace> <rotationId>\n/);
  });

  test('help <noun> lists its subcommands', async () => {
    const run = await cli(['help', 'pats']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /pats list/);
    assert.match(run.stdout, /pats revoke/);
  });
});

describe('usage errors exit 2 with the usage line', () => {
  const cases: [string[], RegExp][] = [
    [[], /error: No command given\./],
    [['bogus'], /error: Unknown command 'bogus'\./],
    [['tokens'], /error: 'tokens' needs a subcommand: show, rotate, rotation\./],
    [['tokens', 'rotation', 'show', 'acme'], /error: Missing <rotationId>\./],
    [['tokens', 'rotation'], /error: 'tokens rotation' needs a subcommand: show, cancel\./],
    [
      ['tokens', 'rotate', 'acme', '--zero-downtime', '--restart-deployments'],
      /Choose one: --zero-downtime or --restart-deployments\./,
    ],
    [['tokens', 'rotate', 'acme', '--quiet-seconds', '5'], /--quiet-seconds is for a rotation run/],
    [
      ['tokens', 'rotate', 'acme', '--zero-downtime', '--quiet-seconds', '90000'],
      /--quiet-seconds must be a whole number, 0 to 86400\./,
    ],
    [
      ['tokens', 'rotate', 'acme', '--restart-deployments', '--timeout-seconds', '5'],
      /--timeout-seconds must be a whole number, 10 to 604800\./,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x'],
      /error: The command to run is missing: put it after --\./,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', 'node', 'app.js'],
      /Unexpected argument 'node' \(the command goes after --\)\./,
    ],
    [['deployments', 'create', 'acme', '--name', 'x', '--'], /The command after -- is empty/],
    [['deployments', 'create', 'acme', '--', 'node'], /error: --name is required\./],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--env', 'NOVALUE', '--', 'node'],
      /--env takes NAME=value \(got 'NOVALUE'\)/,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--secret', 'hunter2', '--', 'node'],
      /--secret takes NAME=value \(got '\.\.\.'\)/,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--env', 'A=1', '--secret', 'A=2', '--', 'node'],
      /The variable A is given twice\./,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--replicas', '11', '--', 'node'],
      /--replicas must be a whole number, 1 to 10\./,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--token-slot', '3', '--', 'node'],
      /--token-slot must be one of 1, 2\./,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--workdir', 'rel/dir', '--', 'node'],
      /--workdir must be an absolute path/,
    ],
    [
      ['deployments', 'create', 'acme', '--name', 'x', '--token', '2', '--', 'node'],
      /--token is your personal access token; .* is --token-slot 2\./,
    ],
    [['deployments', 'logs', 'acme', 'x', '--tail', '0'], /--tail must be a whole number, 1 to 10000\./],
    [['deployments', 'logs', 'acme', 'x', '--follow', '--json'], /--json cannot be combined with --follow\./],
    [['tokens', 'spin', 'acme'], /error: Unknown command 'tokens spin'/],
    [['tokens', 'show'], /error: Missing <workspace>\.\nusage: streamgate-cli tokens show <workspace>/],
    [['tokens', 'show', 'a', 'b'], /error: Unexpected argument 'b'\./],
    [['tokens', 'show', 'acme', '--bogus'], /error: Unknown option '--bogus'/],
    [['workspaces', 'create', 'acme'], /error: --name is required\./],
    [['pats', 'create', '--name', 'x'], /error: --expires is required\./],
    [['pats', 'create', '--name', 'x', '--expires', 'soon'], /--expires must be a number of days/],
    [['topics', 'create', 'acme', 't', '--partitions', 'many'], /--partitions must be a whole number/],
    [['topics', 'create', 'acme', 't', '--cleanup-policy', 'Sometimes'], /--cleanup-policy must be one of/],
    [
      ['members', 'set', 'acme', 'u-1', 'Boss'],
      /<role> must be one of Admin, Manager, Editor, Viewer, None\./,
    ],
    [['topics', 'delete', 'acme', 'orders'], /add --yes to confirm/],
    [['workspaces', 'delete', 'acme'], /add --yes to confirm/],
    [['audit', '--limit', '0'], /--limit must be a whole number, 1 to 200\./],
    [['audit', '--limit', '201'], /--limit must be a whole number, 1 to 200\./],
  ];
  for (const [args, message] of cases) {
    test(`streamgate-cli ${args.join(' ')}`, async () => {
      // Credentials are set, so that only the command line itself can be at fault.
      const run = await cli(args, { STREAMGATE_URL: 'http://127.0.0.1:9', STREAMGATE_TOKEN: 'sgp_unused' });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /\nusage: streamgate-cli /);
      assert.equal(run.stdout, '');
      assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});

describe('configuration', () => {
  test('no URL or no token is exit 2 and says how to log in', async () => {
    let run = await cli(['whoami']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /No portal URL: pass --url, set STREAMGATE_URL, or run 'streamgate-cli login/);
    run = await cli(['whoami', '--url', 'http://127.0.0.1:9']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Not logged in: pass --token, set STREAMGATE_TOKEN/);
  });

  test('a URL that is not http(s) is a usage error', async () => {
    const run = await cli(['whoami', '--url', 'ftp://example.com', '--token', 'sgp_x']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--url must be an http:\/\/ or https:\/\/ URL/);
  });

  test('a token with a line break is refused without quoting it', async () => {
    const secret = 'sgp_secretpart12345';
    const run = await cli(['whoami'], {
      STREAMGATE_URL: 'http://127.0.0.1:9',
      STREAMGATE_TOKEN: `${secret}\nx`,
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /STREAMGATE_TOKEN contains spaces or characters that a token never has/);
    assert.ok(!run.stderr.includes('secretpart'));
  });

  test('an unreachable portal is exit 1 with the address and no stack trace', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve())); // now nothing listens there
    const run = await cli(['workspaces', 'list'], {
      STREAMGATE_URL: `http://127.0.0.1:${port}`,
      STREAMGATE_TOKEN: 'sgp_abcdefghijklmnop',
    });
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      new RegExp(`Cannot reach the portal at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`),
    );
    assert.ok(!run.stderr.includes('abcdefghijklmnop'));
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('the saved token only ever goes to the saved portal', () => {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((request, response) => {
    seen.push(request.headers);
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'no', correlationId: 'c-1', code: 'PORTAL_INVALID_TOKEN' }));
  });
  let otherUrl = '';
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    mkdirSync(join(home.dir, 'streamgate'), { recursive: true });
    writeFileSync(
      join(home.dir, 'streamgate', 'config.json'),
      JSON.stringify({ url: 'http://127.0.0.1:9', token: 'sgp_savedtokensavedtoken' }),
      { mode: 0o600 },
    );
  });
  after(() => server.close());

  test('--url pointing elsewhere does not pick up the saved token', async () => {
    const run = await cli(['whoami', '--url', otherUrl]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /The saved token is for http:\/\/127\.0\.0\.1:9, not http:\/\/127\.0\.0\.1:\d+/);
    assert.equal(seen.length, 0, 'no request reached the other server');
  });

  test('with an explicit token the other portal is asked, and its error shown with the correlation id', async () => {
    const run = await cli(['whoami', '--url', otherUrl], { STREAMGATE_TOKEN: 'sgp_explicittokenexplicit' });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error: no\n {2}\(HTTP 401, PORTAL_INVALID_TOKEN; correlation id c-1\)/);
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.authorization, 'Bearer sgp_explicittokenexplicit');
    assert.equal(seen[0]!['x-version'], '2.0');
    assert.match(String(seen[0]!['user-agent']), /^streamgate-cli\/0\.1\.0 node\/24\./);
  });
});
