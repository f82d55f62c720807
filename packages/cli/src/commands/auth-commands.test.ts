// login / whoami / logout and authentication failures, against a real portal process.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, startTestPortal, type TestPortal, tempConfigHome } from '../../test-support/cli-harness.ts';

let portal: TestPortal;
before(async () => {
  portal = await startTestPortal();
  await portal.createWorkspace('acme');
});
after(() => portal.stop());

describe('login, whoami, logout', () => {
  const home = tempConfigHome();
  const configFile = join(home.dir, 'streamgate', 'config.json');
  after(() => home.remove());
  const cli = (args: string[], input?: string) =>
    runCli(args, { configHome: home.dir, ...(input !== undefined ? { input } : {}) });

  test('login verifies the token, then saves URL and token in a 0600 file', async () => {
    const pat = await portal.createPat({ name: 'laptop' });
    const run = await cli(['login', '--url', `${portal.url}/`, '--token', pat.token]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`Logged in to ${portal.url} as ${portal.adminEmail} \\(personal access token ${pat.id},`),
    );
    assert.match(run.stderr, /Saved to .*streamgate\/config\.json \(mode 0600\)/);
    assert.ok(!run.stdout.includes(pat.token) && !run.stderr.includes(pat.token), 'the token is not printed');
    assert.equal(statSync(configFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(home.dir, 'streamgate')).mode & 0o777, 0o700);
    assert.deepEqual(JSON.parse(readFileSync(configFile, 'utf8')), { url: portal.url, token: pat.token });
  });

  test('whoami then works from the saved login alone', async () => {
    const run = await cli(['whoami']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Portal: +${portal.url}`));
    assert.match(run.stdout, new RegExp(`User: +${portal.adminEmail}`));
    assert.match(run.stdout, /Scope: +all your workspaces/);
    assert.match(run.stdout, /From: +the saved login/);
  });

  test('logout --revoke revokes the token at the portal and removes the file', async () => {
    const { token } = JSON.parse(readFileSync(configFile, 'utf8'));
    const run = await cli(['logout', '--revoke']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Revoked personal access token pat-\S+ and removed /);
    assert.ok(!existsSync(configFile));
    const reply = await portal.api('GET', '/auth/token/details', { token });
    assert.equal(reply.status, 401);
    assert.equal(reply.body.code, 'PORTAL_TOKEN_REVOKED');
  });

  test('login takes the token from stdin, so it stays out of argv', async () => {
    const pat = await portal.createPat({ name: 'piped' });
    const run = await cli(['login', '--url', portal.url], `${pat.token}\n`);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(readFileSync(configFile, 'utf8')), { url: portal.url, token: pat.token });
    const logout = await cli(['logout']);
    assert.equal(logout.code, 0);
    assert.match(logout.stderr, /The token itself is still valid until it expires/);
    assert.equal((await portal.api('GET', '/auth/token/details', { token: pat.token })).status, 200);
  });

  test('login with a token the portal refuses saves nothing and shows the server’s message', async () => {
    const pat = await portal.createPat({ name: 'soon revoked' });
    assert.equal(
      (await portal.api('DELETE', `/profile/tokens/${pat.id}`, { session: portal.admin })).status,
      204,
    );
    const run = await cli(['login', '--url', portal.url, '--token', pat.token]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: .*revoked/im);
    assert.match(run.stderr, /\(HTTP 401, PORTAL_TOKEN_REVOKED; correlation id [\w-]+\)/);
    assert.ok(!run.stderr.includes(pat.token));
    assert.ok(!existsSync(configFile));
  });

  test('login refuses a streaming token: it saves personal access tokens only', async () => {
    const { token1 } = await portal.tokens('acme');
    const run = await cli(['login', '--url', portal.url, '--token', token1.value]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /That is a streaming token; login saves a personal access token/);
    assert.ok(!run.stderr.includes(token1.value));
    assert.ok(!existsSync(configFile));
  });
});

describe('credentials from the environment', () => {
  const home = tempConfigHome();
  after(() => home.remove());

  test('whoami --json shows a narrowed, read-only token as the portal describes it', async () => {
    const pat = await portal.createPat({ name: 'narrow', workspaces: ['acme'], readOnly: true });
    const run = await runCli(['whoami', '--json'], {
      configHome: home.dir,
      env: { STREAMGATE_URL: portal.url, STREAMGATE_TOKEN: pat.token },
    });
    assert.equal(run.code, 0, run.stderr);
    const details = JSON.parse(run.stdout);
    assert.equal(details.kind, 'pat');
    assert.equal(details.tokenId, pat.id);
    assert.deepEqual(details.workspaces, ['acme']);
    assert.equal(details.readOnly, true);
    assert.equal(details.tokenSource, 'env');
  });

  test('a bad token is exit 1 with the server’s message and correlation id, and is never echoed', async () => {
    const forged = 'sgp_eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJub2JvZHkifQ.Zm9yZ2Vk';
    const run = await runCli(['workspaces', 'list'], {
      configHome: home.dir,
      env: { STREAMGATE_URL: portal.url, STREAMGATE_TOKEN: forged },
    });
    assert.equal(run.code, 1);
    const reply = await portal.api('GET', '/workspaces', { token: forged });
    assert.equal(reply.status, 401);
    assert.ok(run.stderr.startsWith(`error: ${reply.body.message}\n`), run.stderr);
    assert.match(run.stderr, new RegExp(`\\(HTTP 401, ${reply.body.code}; correlation id [\\w-]+\\)`));
    assert.ok(!run.stderr.includes('Zm9yZ2Vk') && !run.stderr.includes(forged));
    assert.doesNotMatch(run.stderr, /\n\s+at /);
    assert.equal(run.stdout, '');
  });
});
