import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Role } from '../permissions/roles.ts';
import type { PatRecord, SessionRecord, Store, UserRecord } from './storage.ts';

/**
 * Part of the one storage suite (storage.contract.ts): disabling, deleting and re-keying users,
 * each with what it ends in the same transaction, and the guard that keeps an enabled Admin.
 */
export function runUserLifecycleContract(deps: {
  store: () => Store;
  user: (role?: Role) => UserRecord;
  newWorkspace: () => Promise<{ workspaceId: string }>;
}): void {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const later = new Date('2026-01-02T00:00:00Z');
  let serial = 0;
  const session = (userId: string): SessionRecord => ({
    idHash: `sess-${userId}-${serial++}`,
    userId,
    csrfToken: 'c',
    createdAt: t0,
    expiresAt: new Date('2030-01-01T00:00:00Z'),
  });
  const pat = (userId: string): PatRecord => ({
    id: `pat-${userId}-${serial++}`,
    userId,
    name: 'p',
    createdAt: t0,
    expiresAt: new Date('2030-01-01T00:00:00Z'),
    workspaces: null,
    readOnly: false,
    lastUsedAt: null,
    revokedAt: null,
  });
  const withCredentials = async (role: Role) => {
    const store = deps.store();
    const u = deps.user(role);
    await store.createUser(u);
    const s = session(u.id);
    const p = pat(u.id);
    await store.createSession(s);
    await store.createPat(p);
    return { user: u, session: s, pat: p };
  };

  it('disables a user: its sessions and PATs end in the same change; enabling revives neither', async () => {
    const store = deps.store();
    const { user, session: s, pat: p } = await withCredentials('Editor');
    const bystander = await withCredentials('Editor');
    assert.equal(await store.setUserDisabled(user.id, later), 'done');
    assert.deepEqual((await store.findUserById(user.id))?.disabledAt, later);
    assert.equal(await store.findSession(s.idHash), null);
    assert.deepEqual((await store.findPat(p.id))?.revokedAt, later);
    assert.ok(await store.findSession(bystander.session.idHash), 'another user keeps its session');
    assert.equal((await store.findPat(bystander.pat.id))?.revokedAt, null);
    assert.equal(await store.setUserDisabled(user.id, null), 'done');
    assert.equal((await store.findUserById(user.id))?.disabledAt, null);
    assert.deepEqual((await store.findPat(p.id))?.revokedAt, later, 'a re-enabled user needs new PATs');
    assert.equal(await store.setUserDisabled('nobody', later), 'not-found');
  });

  it('deletes a user with its sessions, PATs and workspace roles', async () => {
    const store = deps.store();
    const { user, session: s, pat: p } = await withCredentials('Viewer');
    const { workspaceId } = await deps.newWorkspace();
    await store.setWorkspaceRole(workspaceId, user.id, 'Admin');
    assert.equal(await store.deleteUser(user.id), 'done');
    assert.equal(await store.findUserById(user.id), null);
    assert.equal(await store.findSession(s.idHash), null);
    assert.equal(await store.findPat(p.id), null);
    assert.equal((await store.listWorkspaceRoles(workspaceId)).has(user.id), false);
    assert.equal(await store.deleteUser(user.id), 'not-found');
  });

  it('never disables or deletes the last enabled Admin', async () => {
    const store = deps.store();
    const first = await withCredentials('Admin');
    // Make `first` the only enabled Admin of this database for the length of the test.
    const others = (await store.listUsers()).filter(
      (u) => u.organisationRole === 'Admin' && u.disabledAt === null && u.id !== first.user.id,
    );
    for (const other of others) assert.equal(await store.setUserDisabled(other.id, later), 'done');
    try {
      assert.equal(await store.setUserDisabled(first.user.id, later), 'last-admin');
      assert.equal(await store.deleteUser(first.user.id), 'last-admin');
      assert.equal((await store.findUserById(first.user.id))?.disabledAt, null, 'unchanged');
      assert.ok(await store.findSession(first.session.idHash), 'its session is untouched');
      const second = await withCredentials('Admin');
      assert.equal(await store.setUserDisabled(first.user.id, later), 'done');
      assert.equal(await store.deleteUser(second.user.id), 'last-admin', 'the other one is now the last');
      assert.equal(await store.setUserDisabled(first.user.id, null), 'done');
      assert.equal(await store.deleteUser(second.user.id), 'done');
      // Two Admins disabling each other at once: one of them stays.
      const third = await withCredentials('Admin');
      const outcomes = await Promise.all([
        store.setUserDisabled(first.user.id, later),
        store.setUserDisabled(third.user.id, later),
      ]);
      assert.deepEqual([...outcomes].sort(), ['done', 'last-admin']);
      await store.setUserDisabled(first.user.id, null);
      await store.setUserDisabled(third.user.id, null);
    } finally {
      for (const other of others) await store.setUserDisabled(other.id, null);
    }
  });

  it('changes a password and ends every other session of that user', async () => {
    const store = deps.store();
    const { user, session: kept } = await withCredentials('Viewer');
    const other = session(user.id);
    await store.createSession(other);
    const bystander = await withCredentials('Viewer');
    assert.equal(await store.changePassword(user.id, 'new-hash', kept.idHash), true);
    assert.equal((await store.findUserById(user.id))?.passwordHash, 'new-hash');
    assert.ok(await store.findSession(kept.idHash), 'the session that asked stays');
    assert.equal(await store.findSession(other.idHash), null);
    assert.ok(await store.findSession(bystander.session.idHash));
    assert.equal(await store.changePassword(user.id, 'newer-hash', null), true);
    assert.equal(await store.findSession(kept.idHash), null, 'null keeps none');
    assert.equal(await store.changePassword('nobody', 'x', null), false);
  });

  it("clears a user's workspace overrides with a role change, when asked to", async () => {
    const store = deps.store();
    const { user } = await withCredentials('Editor');
    const { workspaceId } = await deps.newWorkspace();
    await store.setWorkspaceRole(workspaceId, user.id, 'Admin');
    await store.updateUser(user.id, { organisationRole: 'Viewer' });
    assert.equal((await store.workspaceRolesOf(user.id)).get(workspaceId), 'Admin', 'kept by default');
    const after = await store.updateUser(user.id, { organisationRole: 'None', clearWorkspaceRoles: true });
    assert.equal(after?.organisationRole, 'None');
    assert.equal((await store.workspaceRolesOf(user.id)).size, 0);
  });
}

/** Part of the one storage suite: a signing key's retirement can be scheduled, and only brought forward. */
export function runSigningKeyRetirementContract(deps: { store: () => Store; unique: (p: string) => string }) {
  it('schedules a signing key retirement, and an earlier time wins', async () => {
    const store = deps.store();
    const kid = deps.unique('kid');
    await store.addSigningKey({
      kid,
      purpose: 'pat',
      algorithm: 'ES256',
      sealedPrivateKey: 's',
      publicJwk: '{}',
      createdAt: new Date(1000),
      retiredAt: null,
    });
    const retiredAt = async () =>
      (await store.listSigningKeys('pat')).find((key) => key.kid === kid)?.retiredAt?.getTime();
    await store.retireSigningKey(kid, new Date(50_000));
    assert.equal(await retiredAt(), 50_000);
    await store.retireSigningKey(kid, new Date(90_000));
    assert.equal(await retiredAt(), 50_000, 'a later time does not extend it');
    await store.retireSigningKey(kid, new Date(20_000));
    assert.equal(await retiredAt(), 20_000, 'an earlier one (retire now) wins');
  });
}
