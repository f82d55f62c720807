// workspaces, topics, members and audit against a real portal process (without Kafka: topic
// changes answer 503, which the CLI must pass on).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { AuditPage } from '@streamgate/contract';
import { cliSuite } from '../../test-support/cli-suite.ts';

const suite = cliSuite({ patName: 'workspace tests' });
const { cli } = suite;

describe('workspaces', () => {
  test('create, list, delete', async () => {
    const create = await cli(['workspaces', 'create', 'beta', '--name', 'Beta team']);
    assert.equal(create.code, 0, create.stderr);
    assert.equal(create.stdout, 'Created workspace beta (Beta team).\n');
    assert.equal(
      (await suite.portal.api('GET', '/workspaces/beta', { session: suite.portal.admin })).status,
      200,
    );

    const list = await cli(['workspaces', 'list']);
    assert.match(list.stdout, /^ID +NAME +YOUR ROLE +CREATED\n/);
    assert.match(list.stdout, /\nbeta +Beta team +Admin +\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    const json = JSON.parse((await cli(['workspaces', 'list', '--json'])).stdout);
    assert.ok(json.some((ws: { workspaceId: string }) => ws.workspaceId === 'beta'));

    const refused = await cli(['workspaces', 'delete', 'beta']);
    assert.equal(refused.code, 2);
    assert.equal(
      (await suite.portal.api('GET', '/workspaces/beta', { session: suite.portal.admin })).status,
      200,
    );
    const deleted = await cli(['workspaces', 'delete', 'beta', '--yes']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(
      (await suite.portal.api('GET', '/workspaces/beta', { session: suite.portal.admin })).status,
      404,
    );
  });

  test('an id the portal rejects: its message, exit 1', async () => {
    const run = await cli(['workspaces', 'create', 'Not_Valid', '--name', 'x']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^error: .+\n {2}\(HTTP 400, PORTAL_BAD_REQUEST; correlation id /);
  });
});

describe('topics (no broker)', () => {
  before(() => suite.portal.createWorkspace('acme'));

  test('topics list shows an empty workspace', async () => {
    const run = await cli(['topics', 'list', 'acme']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, 'No topics in workspace acme.\n');
    assert.deepEqual(JSON.parse((await cli(['topics', 'list', 'acme', '--json'])).stdout), []);
  });

  test('topics create passes on the 503 and its message, exit 1, nothing created', async () => {
    const run = await cli([
      'topics',
      'create',
      'acme',
      'orders',
      '--partitions',
      '3',
      '--cleanup-policy',
      'compact',
    ]);
    assert.equal(run.code, 1);
    assert.match(
      run.stderr,
      /^error: This portal has no Kafka broker configured, so topics cannot be changed\.\n {2}\(HTTP 503, PORTAL_BROKER_UNAVAILABLE; correlation id [\w-]+\)\n$/,
    );
    assert.deepEqual(
      (await suite.portal.api('GET', '/acme/topics', { session: suite.portal.admin })).body,
      [],
    );
  });

  test('topics delete of a missing topic: the 404 message', async () => {
    const run = await cli(['topics', 'delete', 'acme', 'orders', '--yes']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /error: Topic 'orders' does not exist in workspace 'acme'\./);
  });
});

describe('members', () => {
  let dev: { id: string };
  before(async () => {
    await suite.portal.createWorkspace('team');
    dev = await suite.portal.createUser('dev@example.test', 'Viewer');
  });

  test('members list shows organisation, override and effective roles', async () => {
    const run = await cli(['members', 'list', 'team']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`${dev.id} +dev@example\\.test +\\S.* +Viewer +- +Viewer\\n`));
  });

  test('members set by email changes the role at the portal', async () => {
    const run = await cli(['members', 'set', 'team', 'DEV@example.test', 'editor']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      'dev@example.test is now Editor in workspace team (organisation role Viewer).\n',
    );
    const members = (
      await suite.portal.api('GET', '/workspaces/team/members', { session: suite.portal.admin })
    ).body;
    const member = members.find((m: { userId: string }) => m.userId === dev.id);
    assert.equal(member.workspaceRole, 'Editor');
    assert.equal(member.effectiveRole, 'Editor');
  });

  test('members reset by id puts the inherited role back', async () => {
    const run = await cli(['members', 'reset', 'team', dev.id, '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).workspaceRole, null);
    assert.equal(JSON.parse(run.stdout).effectiveRole, 'Viewer');
  });

  test('an email nobody has is exit 1 and changes nothing', async () => {
    const run = await cli(['members', 'set', 'team', 'nobody@example.test', 'Admin']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /No user with email nobody@example\.test is listed in workspace 'team'\./);
  });
});

describe('audit', () => {
  before(async () => {
    await suite.portal.createWorkspace('audited');
    await suite.portal.createWorkspace('other');
    const pair = await suite.portal.tokens('audited');
    await suite.portal.api(
      'POST',
      '/workspaces/audited/streaming-tokens/rotate',
      { session: suite.portal.admin },
      {
        headers: { 'if-match': pair.etag },
      },
    );
    await suite.portal.tokens('other');
  });
  const entries = async (args: string[]) => {
    const run = await cli(['audit', ...args, '--json']);
    assert.equal(run.code, 0, run.stderr);
    return (JSON.parse(run.stdout) as AuditPage).entries;
  };

  test('--action and --workspace filter at the portal', async () => {
    const rotations = await entries(['--action', 'streaming_tokens.rotate']);
    assert.equal(rotations.length, 1);
    assert.equal(rotations[0]!.workspaceId, 'audited');
    const other = await entries(['--workspace', 'other']);
    assert.ok(other.length >= 2, 'workspace.create and streaming_tokens.view');
    assert.ok(other.every((entry) => entry.workspaceId === 'other'));
    const views = await entries(['--workspace', 'other', '--action', 'streaming_tokens.view']);
    assert.equal(views.length, 1);
  });

  test('--actor and --limit; the next page is offered on stderr', async () => {
    const mine = await entries(['--actor', suite.portal.adminEmail]);
    assert.ok(mine.length > 3);
    assert.ok(mine.every((entry) => entry.actor.label === suite.portal.adminEmail));
    const run = await cli(['audit', '--limit', '2']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split('\n').length, 3, 'a header and two entries');
    assert.match(run.stderr, /More entries: add --before \S+/);
    assert.deepEqual(await entries(['--actor', 'nobody@example.test']), []);
  });

  test('an unknown action is the portal’s 400, exit 1', async () => {
    const run = await cli(['audit', '--action', 'token.steal']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /\(HTTP 400, PORTAL_BAD_REQUEST; correlation id /);
    assert.match(run.stderr, /--action takes one of: auth\.login, .*streaming_tokens\.rotate/);
  });
});
