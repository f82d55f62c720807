import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allActions, can, canSeeWorkspace, userRoleIn } from './permissions.ts';
import type { PatScope, StreamingPrincipal, UserPrincipal } from './principal.ts';
import { effectiveRole, type Role } from './roles.ts';

/**
 * Edge cases of the rules the HTTP permission matrix does not reach: the role resolution
 * itself, PAT narrowing intersected with roles, and programmer misuse.
 */
function user(organisationRole: Role, overrides: Record<string, Role> = {}, pat: PatScope | null = null) {
  return {
    kind: 'user',
    userId: 'u-1',
    email: 'u@example.test',
    organisationRole,
    workspaceRoles: new Map(Object.entries(overrides)),
    via: pat ? 'pat' : 'session',
    pat,
  } satisfies UserPrincipal;
}
const streaming: StreamingPrincipal = { kind: 'streaming', workspaceId: 'acme', tokenId: 'st-1' };

describe('effectiveRole', () => {
  it('keeps an organisation Admin Admin whatever the override', () => {
    for (const override of ['None', 'Viewer', 'Editor', 'Manager', undefined] as const) {
      assert.equal(effectiveRole('Admin', override), 'Admin');
    }
  });

  it('replaces the inherited role with the override, up or down', () => {
    assert.equal(effectiveRole('Viewer', 'Admin'), 'Admin');
    assert.equal(effectiveRole('Manager', 'Viewer'), 'Viewer');
    assert.equal(effectiveRole('None', 'Editor'), 'Editor');
    assert.equal(effectiveRole('Editor', undefined), 'Editor');
  });
});

describe('can', () => {
  it('an organisation Admin with a None override is still Admin in that workspace', () => {
    const admin = user('Admin', { acme: 'None' });
    assert.equal(userRoleIn(admin, 'acme'), 'Admin');
    assert.ok(canSeeWorkspace(admin, 'acme'));
    for (const action of ['streamingTokens.rotate', 'workspace.delete', 'members.write'] as const) {
      assert.deepEqual(can(admin, action, 'acme'), { allowed: true }, action);
    }
  });

  it('a None override blocks a workspace for every workspace action, even for a Manager', () => {
    const manager = user('Manager', { acme: 'None' });
    assert.equal(canSeeWorkspace(manager, 'acme'), false);
    assert.ok(canSeeWorkspace(manager, 'globex'));
    for (const action of allActions) {
      if (scopeOf(action) !== 'workspace') continue;
      const decision = can(manager, action, 'acme');
      assert.equal(decision.allowed, false, action);
      if (!decision.allowed && action !== 'broker.connect') assert.match(decision.reason, /no access/);
    }
  });

  it('an override can raise a user: a Viewer made workspace Admin rotates there, not elsewhere', () => {
    const wsAdmin = user('Viewer', { acme: 'Admin' });
    assert.ok(can(wsAdmin, 'streamingTokens.rotate', 'acme').allowed);
    assert.equal(can(wsAdmin, 'streamingTokens.rotate', 'globex').allowed, false);
    assert.equal(can(wsAdmin, 'workspace.create').allowed, false, 'not an organisation Admin');
    assert.equal(can(wsAdmin, 'users.write').allowed, false);
  });

  it('an organisation role of None sees nothing without an override', () => {
    const nobody = user('None');
    assert.equal(canSeeWorkspace(nobody, 'acme'), false);
    assert.ok(canSeeWorkspace(user('None', { acme: 'Viewer' }), 'acme'));
    assert.ok(can(nobody, 'profile.write').allowed, 'but manages its own PATs');
  });

  it("a PAT is the intersection of its narrowing and the owner's current role", () => {
    const narrowed = { patId: 'pat-1', workspaces: ['acme'], readOnly: false };
    const editorPat = user('Editor', {}, narrowed);
    assert.ok(can(editorPat, 'topics.create', 'acme').allowed);
    assert.equal(can(editorPat, 'topics.create', 'globex').allowed, false);
    assert.equal(can(editorPat, 'streamingTokens.rotate', 'acme').allowed, false, 'narrowing never adds');
    const blocked = user('Admin', {}, { patId: 'pat-2', workspaces: ['acme'], readOnly: false });
    assert.equal(can(blocked, 'workspace.create').allowed, false, 'a narrowed PAT has no organisation power');
    assert.equal(can(blocked, 'profile.write').allowed, false, 'nor can it mint a broader PAT');
    assert.ok(can(blocked, 'profile.read').allowed);
  });

  it('a read-only PAT of an Admin reads, but writes nothing and sees no token value (a value grants writes)', () => {
    const readOnly = user('Admin', {}, { patId: 'pat-3', workspaces: null, readOnly: true });
    assert.ok(can(readOnly, 'streamingTokens.read', 'acme').allowed);
    assert.ok(can(readOnly, 'users.read').allowed);
    for (const action of [
      'streamingTokens.viewValues',
      'streamingTokens.rotate',
      'workspace.create',
      'users.write',
      'profile.write',
    ] as const) {
      const decision = can(readOnly, action, 'acme');
      assert.equal(decision.allowed, false, action);
      if (!decision.allowed) assert.match(decision.reason, /read-only/);
    }
  });

  it('only a session makes credentials: no PAT, however broad, creates a PAT or changes the password', () => {
    const full = user('Admin', {}, { patId: 'pat-5', workspaces: null, readOnly: false });
    for (const action of ['profile.createPat', 'profile.changePassword'] as const) {
      assert.ok(can(user('None'), action).allowed, `a session may ${action}`);
      const decision = can(full, action);
      assert.equal(decision.allowed, false, action);
      if (!decision.allowed) assert.match(decision.reason, /session/);
      assert.equal(can(streaming, action).allowed, false);
    }
    assert.ok(can(full, 'profile.write').allowed, 'a full PAT still revokes');
    assert.ok(can(full, 'profile.read').allowed, 'and lists');
  });

  it('a PAT narrowed to an empty list reaches no workspace', () => {
    const empty = user('Admin', {}, { patId: 'pat-4', workspaces: [], readOnly: false });
    assert.equal(canSeeWorkspace(empty, 'acme'), false);
  });

  it('a streaming token acts only on its own workspace and only for streaming actions', () => {
    assert.ok(can(streaming, 'broker.connect', 'acme').allowed);
    assert.ok(can(streaming, 'topics.create', 'acme').allowed);
    assert.equal(can(streaming, 'topics.create', 'acme-prod').allowed, false);
    assert.equal(can(streaming, 'broker.connect', null).allowed, false);
    for (const action of [
      'streamingTokens.read',
      'streamingTokens.rotate',
      'topics.delete',
      'profile.read',
      'workspace.create',
    ] as const) {
      assert.equal(can(streaming, action, 'acme').allowed, false, action);
    }
  });

  it("only a streaming token gets broker access, whatever the user's role", () => {
    assert.equal(can(user('Admin'), 'broker.connect', 'acme').allowed, false);
  });

  it('treats a workspace action without a workspace as a programming error', () => {
    assert.throws(() => can(user('Admin'), 'streamingTokens.rotate'), TypeError);
  });
});

function scopeOf(action: (typeof allActions)[number]): string {
  if (
    [
      'workspace.create',
      'users.read',
      'users.write',
      'organisationAudit.read',
      'signingKeys.rotate',
      'operations.readDetails',
    ].includes(action)
  )
    return 'organisation';
  if (action.startsWith('profile.')) return 'self';
  return 'workspace';
}
