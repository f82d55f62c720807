// pats create / list / revoke against a real portal process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliSuite } from '../../test-support/cli-suite.ts';

const suite = cliSuite({ patName: 'pats tests', workspaces: ['acme'] });
const { cli } = suite;
// The portal makes PATs for password logins only: `pats create --email` logs in for it.
const asAdmin = () => ({ STREAMGATE_PASSWORD: suite.portal.process.adminPassword });

let created: { id: string; token: string };

test('pats create prints the token alone on stdout, with a note on stderr', async () => {
  const run = await cli(
    [
      'pats',
      'create',
      '--email',
      suite.portal.adminEmail,
      '--name',
      'ci deploy',
      '--expires',
      '30d',
      '--workspace',
      'acme',
      '--read-only',
    ],
    asAdmin(),
  );
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^sgp_\S+\n$/);
  const token = run.stdout.trim();
  assert.match(
    run.stderr,
    /Created personal access token 'ci deploy' \(pat-\S+; expires .*; workspaces: acme \(read-only\)\)\./,
  );
  assert.match(run.stderr, /It will not be shown again: store it now\./);
  assert.ok(!run.stderr.includes(token));

  const details = await suite.portal.api('GET', '/auth/token/details', { token });
  assert.equal(details.status, 200);
  assert.deepEqual(details.body.workspaces, ['acme']);
  assert.equal(details.body.readOnly, true);
  const expiresInDays = (Date.parse(details.body.expiresAt) - Date.now()) / 86_400_000;
  assert.ok(expiresInDays > 29 && expiresInDays <= 30, String(expiresInDays));
  created = { id: details.body.tokenId, token };
});

test('pats create with an ISO date', async () => {
  const date = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  const run = await cli(
    ['pats', 'create', '--email', suite.portal.adminEmail, '--name', 'dated', '--expires', date, '--json'],
    asAdmin(),
  );
  assert.equal(run.code, 0, run.stderr);
  const body = JSON.parse(run.stdout);
  assert.equal(body.expiresAt, `${date}T00:00:00.000Z`);
  assert.match(body.token, /^sgp_/);
});

test('the portal’s limits come back as its message (exit 1)', async () => {
  const run = await cli(
    ['pats', 'create', '--email', suite.portal.adminEmail, '--name', 'forever', '--expires', '800d'],
    asAdmin(),
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error: A personal access token lives at most one year\./);
  assert.equal(run.stdout, '');
});

test('pats list shows the tokens without their values', async () => {
  const run = await cli(['pats', 'list']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^ID +NAME +STATUS +EXPIRES +LAST USED +WORKSPACES\n/);
  assert.match(run.stdout, new RegExp(`${created.id} +ci deploy +active +.* acme \\(read-only\\)`));
  assert.ok(!run.stdout.includes(created.token));
  const json = JSON.parse((await cli(['pats', 'list', '--json'])).stdout);
  assert.ok(json.some((pat: { id: string }) => pat.id === created.id));
  assert.ok(!JSON.stringify(json).includes('sgp_'));
});

test('pats revoke: the token is refused at once and listed as revoked', async () => {
  const run = await cli(['pats', 'revoke', created.id]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `Revoked personal access token ${created.id}.\n`);
  const reply = await suite.portal.api('GET', '/workspaces', { token: created.token });
  assert.equal(reply.status, 401);
  assert.equal(reply.body.code, 'PORTAL_TOKEN_REVOKED');
  assert.match((await cli(['pats', 'list'])).stdout, new RegExp(`${created.id} +ci deploy +revoked `));
});

test('a token cannot create tokens (a password login must): the server’s 403 message, exit 1', async () => {
  const run = await cli(['pats', 'create', '--name', 'child', '--expires', '1d']);
  assert.equal(run.code, 1);
  assert.match(
    run.stderr,
    /^error: Only a browser session \(a password login\) can create personal access tokens/,
  );
  assert.ok(!run.stderr.includes(suite.env.STREAMGATE_TOKEN!));
});

test('pats create --email with a wrong password: the portal’s 401, nothing created, exit 1', async () => {
  const before = (await suite.portal.api('GET', '/profile/tokens', { session: suite.portal.admin })).body
    .length;
  const run = await cli(
    ['pats', 'create', '--email', suite.portal.adminEmail, '--name', 'x', '--expires', '1d'],
    {
      STREAMGATE_PASSWORD: 'not-the-password',
    },
  );
  assert.equal(run.code, 1);
  assert.match(run.stderr, /Invalid email or password/);
  assert.ok(!run.stderr.includes('not-the-password'));
  assert.equal(
    (await suite.portal.api('GET', '/profile/tokens', { session: suite.portal.admin })).body.length,
    before,
  );
});

test('a read-only token cannot create tokens: the server’s 403 message, exit 1', async () => {
  const readOnly = await suite.portal.createPat({ name: 'ro', readOnly: true });
  const run = await cli(['pats', 'create', '--name', 'x', '--expires', '1d'], {
    STREAMGATE_TOKEN: readOnly.token,
  });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^error: .+\n {2}\(HTTP 403, PORTAL_FORBIDDEN; correlation id [\w-]+\)\n$/);
  assert.ok(!run.stderr.includes(readOnly.token));
});
