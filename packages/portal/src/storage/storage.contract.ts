import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rotationAudit } from '../../test-support/rotation-audit.ts';
import { planRotation } from '../tokens/rotation.ts';
import { runDeploymentStorageContract } from './deployment-storage.contract.ts';
import type { AuditRecord, Store, StreamingTokenRecord, UserRecord } from './storage.ts';
import { runSigningKeyRetirementContract, runUserLifecycleContract } from './user-lifecycle.contract.ts';

/**
 * The one storage suite. Every implementation runs it (sqlite-store.test.ts,
 * postgres-store.test.ts): same behaviour, same atomicity, same isolation between workspaces.
 */
export function runStorageContract(engine: string, openStore: () => Promise<Store>): void {
  describe(`storage contract: ${engine}`, () => {
    let store: Store;
    let serial = 0;
    const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(serial++).toString(36)}`;
    const t0 = new Date('2026-01-01T00:00:00Z');

    const token = (workspaceId: string, slot: 1 | 2 | null, id = unique('tok')): StreamingTokenRecord => ({
      id,
      workspaceId,
      slot,
      tokenHash: `hash-${id}`,
      sealedValue: `sealed-${id}`,
      createdAt: t0,
      deactivatedAt: null,
    });
    const user = (role: UserRecord['organisationRole'] = 'Viewer'): UserRecord => {
      const id = unique('usr');
      return {
        id,
        email: `${id}@example.test`,
        name: id,
        passwordHash: 'x',
        organisationRole: role,
        createdAt: t0,
        disabledAt: null,
      };
    };
    const newWorkspace = async (workspaceId = unique('ws')) => {
      const tokens: [StreamingTokenRecord, StreamingTokenRecord] = [
        token(workspaceId, 1),
        token(workspaceId, 2),
      ];
      assert.equal(
        await store.createWorkspace({ workspace: { workspaceId, name: workspaceId, createdAt: t0 }, tokens }),
        true,
      );
      return { workspaceId, tokens };
    };

    before(async () => {
      store = await openStore();
      await store.migrate();
      await store.migrate(); // idempotent
    });
    after(async () => {
      await store.close();
    });

    it('stores and finds users, case by case', async () => {
      const u = user('Editor');
      await store.createUser(u);
      assert.deepEqual(await store.findUserByEmail(u.email), u);
      assert.deepEqual(await store.findUserById(u.id), u);
      assert.equal(await store.findUserById('nobody'), null);
      await assert.rejects(store.createUser({ ...u, id: unique('other') }), 'duplicate email is refused');
      const updated = await store.updateUser(u.id, { organisationRole: 'Admin', name: 'Renamed' });
      assert.equal(updated?.organisationRole, 'Admin');
      assert.equal(updated?.name, 'Renamed');
      assert.ok((await store.countUsers()) >= 1);
    });

    it('creates a workspace with exactly one active pair, and refuses a taken id', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      const pair = await store.activeTokenPair(workspaceId);
      assert.equal(pair?.token1.id, tokens[0].id);
      assert.equal(pair?.token2.id, tokens[1].id);
      const again = await store.createWorkspace({
        workspace: { workspaceId, name: 'again', createdAt: t0 },
        tokens: [token(workspaceId, 1), token(workspaceId, 2)],
      });
      assert.equal(again, false);
      assert.equal((await store.findWorkspace(workspaceId))?.name, workspaceId, 'the original is unchanged');
    });

    it('rotates: Token 1 deactivated, Token 2 promoted, a new Token 2', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      // Read both first: an implementation that keeps reads in memory must drop them on rotation.
      assert.equal((await store.findTokenByHash(tokens[0].tokenHash))?.slot, 1);
      assert.equal((await store.findTokenByHash(tokens[1].tokenHash))?.slot, 2);
      const fresh = token(workspaceId, 2);
      const at = new Date('2026-02-01T00:00:00Z');
      const outcome = await store.rotateTokens({
        workspaceId,
        rotation: planRotation({ token1: tokens[0], token2: tokens[1] }, fresh, at),
        audit: rotationAudit(workspaceId),
      });
      assert.equal(outcome, 'rotated');
      const audited = await store.queryAudit({
        workspaceIds: [workspaceId],
        action: 'streaming_tokens.rotate',
        limit: 10,
      });
      assert.equal(audited.length, 1, 'the rotation wrote its audit entry in the same transaction');
      const pair = await store.activeTokenPair(workspaceId);
      assert.equal(pair?.token1.id, tokens[1].id);
      assert.equal(pair?.token2.id, fresh.id);
      const old = await store.findTokenByHash(tokens[0].tokenHash);
      assert.equal(old?.slot, null);
      assert.equal((await store.findTokenByHash(tokens[1].tokenHash))?.slot, 1);
      assert.deepEqual(old?.deactivatedAt, at);
    });

    it('refuses a stale rotation and changes nothing', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      const stale = await store.rotateTokens({
        workspaceId,
        rotation: planRotation({ token1: tokens[1], token2: tokens[0] }, token(workspaceId, 2), t0),
        audit: rotationAudit(workspaceId),
      });
      assert.equal(stale, 'stale');
      assert.equal(
        (await store.queryAudit({ workspaceIds: [workspaceId], limit: 10 })).length,
        0,
        'no audit entry for a stale rotation',
      );
      const pair = await store.activeTokenPair(workspaceId);
      assert.equal(pair?.token1.id, tokens[0].id);
      assert.equal(pair?.token2.id, tokens[1].id);
    });

    it('lets exactly one of many concurrent rotations of the same pair win', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      const attempts = Array.from({ length: 8 }, () =>
        store.rotateTokens({
          workspaceId,
          rotation: planRotation({ token1: tokens[0], token2: tokens[1] }, token(workspaceId, 2), t0),
          audit: rotationAudit(workspaceId),
        }),
      );
      const outcomes = await Promise.all(attempts);
      assert.equal(outcomes.filter((o) => o === 'rotated').length, 1);
      const active = (await store.listActiveTokens()).filter((t) => t.workspaceId === workspaceId);
      assert.equal(active.length, 2, 'never more or fewer than two active tokens');
    });

    it('keeps workspaces apart: a rotation in one never touches another', async () => {
      const a = await newWorkspace();
      const b = await newWorkspace();
      const outcome = await store.rotateTokens({
        workspaceId: b.workspaceId,
        rotation: planRotation({ token1: a.tokens[0], token2: a.tokens[1] }, token(b.workspaceId, 2), t0),
        audit: rotationAudit(b.workspaceId),
      });
      assert.equal(outcome, 'stale');
      assert.equal((await store.activeTokenPair(a.workspaceId))?.token1.id, a.tokens[0].id);
      assert.equal((await store.activeTokenPair(b.workspaceId))?.token1.id, b.tokens[0].id);
    });

    it('records token usage per client, keeping the latest time', async () => {
      const { tokens } = await newWorkspace();
      const base = {
        tokenId: tokens[0].id,
        userAgent: 'quixstreams/3',
        address: '127.0.0.1',
        deploymentId: null,
      };
      await store.recordTokenUsage([{ ...base, clientKey: 'a', lastUsedAt: new Date(2000) }]);
      await store.recordTokenUsage([{ ...base, clientKey: 'a', lastUsedAt: new Date(1000) }]);
      await store.recordTokenUsage([
        { ...base, clientKey: 'b', deploymentId: 'dep-1', lastUsedAt: new Date(3000) },
      ]);
      await store.recordTokenUsage([
        { ...base, tokenId: 'gone', clientKey: 'c', lastUsedAt: new Date(3000) },
      ]);
      const usage = await store.tokenUsage([tokens[0].id]);
      assert.deepEqual(
        usage.map((u) => [u.clientKey, u.lastUsedAt.getTime(), u.deploymentId]),
        [
          ['b', 3000, 'dep-1'],
          ['a', 2000, null],
        ],
      );
    });

    it('sets and removes per-workspace roles', async () => {
      const { workspaceId } = await newWorkspace();
      const u = user();
      await store.createUser(u);
      await store.setWorkspaceRole(workspaceId, u.id, 'Editor');
      await store.setWorkspaceRole(workspaceId, u.id, 'Manager');
      assert.equal((await store.workspaceRolesOf(u.id)).get(workspaceId), 'Manager');
      assert.equal((await store.listWorkspaceRoles(workspaceId)).get(u.id), 'Manager');
      assert.equal(await store.removeWorkspaceRole(workspaceId, u.id), true);
      assert.equal(await store.removeWorkspaceRole(workspaceId, u.id), false);
      assert.equal((await store.workspaceRolesOf(u.id)).size, 0);
    });

    it('deletes a workspace with its tokens, roles and topics', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      const u = user();
      await store.createUser(u);
      await store.setWorkspaceRole(workspaceId, u.id, 'Editor');
      assert.ok(await store.findWorkspace(workspaceId));
      assert.ok(await store.findTokenByHash(tokens[0].tokenHash));
      assert.equal(await store.deleteWorkspace(workspaceId), true);
      assert.equal(await store.findWorkspace(workspaceId), null);
      assert.equal(await store.findTokenByHash(tokens[0].tokenHash), null);
      assert.equal((await store.workspaceRolesOf(u.id)).size, 0);
      assert.equal(await store.deleteWorkspace(workspaceId), false);
    });

    it('queues a purge of the Kafka data in the same transaction that deletes a workspace, until it is finished', async () => {
      const { workspaceId } = await newWorkspace();
      const other = await newWorkspace();
      const mine = async () =>
        (await store.listWorkspacePurges()).filter((p) => p.workspaceId === workspaceId);
      assert.deepEqual(await mine(), []);
      assert.equal(await store.deleteWorkspace(workspaceId, { requestedAt: t0 }), true);
      assert.equal(await store.findWorkspace(workspaceId), null);
      assert.deepEqual(await mine(), [{ workspaceId, requestedAt: t0, report: null, updatedAt: t0 }]);
      // Deleting a workspace that is gone queues nothing more; a plain delete queues nothing.
      assert.equal(await store.deleteWorkspace(workspaceId, { requestedAt: t0 }), false);
      assert.equal(await store.deleteWorkspace(other.workspaceId), true);
      assert.ok(!(await store.listWorkspacePurges()).some((p) => p.workspaceId === other.workspaceId));
      const later = new Date(t0.getTime() + 5000);
      await store.updateWorkspacePurge(workspaceId, '{"topics":"done"}', later);
      assert.deepEqual(await mine(), [
        { workspaceId, requestedAt: t0, report: '{"topics":"done"}', updatedAt: later },
      ]);
      await store.finishWorkspacePurge(workspaceId);
      assert.deepEqual(await mine(), []);
    });

    it('keeps sessions until they expire', async () => {
      const u = user();
      await store.createUser(u);
      const session = {
        idHash: unique('s'),
        userId: u.id,
        csrfToken: 'c',
        createdAt: t0,
        expiresAt: new Date(t0.getTime() + 1000),
      };
      await store.createSession(session);
      assert.deepEqual(await store.findSession(session.idHash), session);
      assert.ok((await store.deleteExpiredSessions(new Date(t0.getTime() + 2000))) >= 1);
      assert.equal(await store.findSession(session.idHash), null);
    });

    it('stores, lists, touches and revokes PATs only for their owner', async () => {
      const owner = user();
      const other = user();
      await store.createUser(owner);
      await store.createUser(other);
      const pat = {
        id: unique('pat'),
        userId: owner.id,
        name: 'ci',
        createdAt: t0,
        expiresAt: new Date(t0.getTime() + 86_400_000),
        workspaces: ['a', 'b'],
        readOnly: true,
        lastUsedAt: null,
        revokedAt: null,
      };
      await store.createPat(pat);
      assert.deepEqual(await store.findPat(pat.id), pat);
      assert.equal((await store.listPats(owner.id)).length, 1);
      assert.equal((await store.listPats(other.id)).length, 0);
      await store.touchPat(pat.id, new Date(5000));
      assert.equal((await store.findPat(pat.id))?.lastUsedAt?.getTime(), 5000);
      assert.equal(await store.revokePat(other.id, pat.id, t0), false, 'not by someone else');
      assert.equal(await store.revokePat(owner.id, pat.id, t0), true);
      assert.equal(await store.revokePat(owner.id, pat.id, t0), false, 'once');
      assert.deepEqual((await store.findPat(pat.id))?.revokedAt, t0);
    });

    it("reads a PAT with its owner and the owner's current workspace roles, in one call", async () => {
      const owner = user('Editor');
      const other = user();
      await store.createUser(owner);
      await store.createUser(other);
      const a = await newWorkspace();
      const b = await newWorkspace();
      const pat = {
        id: unique('pat'),
        userId: owner.id,
        name: 'ci',
        createdAt: t0,
        expiresAt: new Date(t0.getTime() + 86_400_000),
        workspaces: null,
        readOnly: false,
        lastUsedAt: null,
        revokedAt: null,
      };
      await store.createPat(pat);
      assert.equal(await store.findPatAuthentication(unique('pat')), null, 'no such PAT');
      const plain = await store.findPatAuthentication(pat.id);
      assert.deepEqual(plain?.pat, pat);
      assert.deepEqual(plain?.owner, {
        id: owner.id,
        email: owner.email,
        organisationRole: 'Editor',
        disabledAt: null,
      });
      assert.equal(plain?.workspaceRoles.size, 0);
      // Roles of the owner only, as they are at the time of the read.
      await store.setWorkspaceRole(a.workspaceId, owner.id, 'Manager');
      await store.setWorkspaceRole(b.workspaceId, owner.id, 'Viewer');
      await store.setWorkspaceRole(a.workspaceId, other.id, 'Admin');
      assert.deepEqual(
        (await store.findPatAuthentication(pat.id))?.workspaceRoles,
        new Map([
          [a.workspaceId, 'Manager'],
          [b.workspaceId, 'Viewer'],
        ]),
      );
      await store.removeWorkspaceRole(b.workspaceId, owner.id);
      await store.touchPat(pat.id, new Date(5000));
      const later = await store.findPatAuthentication(pat.id);
      assert.deepEqual(later?.workspaceRoles, new Map([[a.workspaceId, 'Manager']]));
      assert.equal(later?.pat.lastUsedAt?.getTime(), 5000);
      assert.equal(await store.revokePat(owner.id, pat.id, t0), true);
      assert.deepEqual((await store.findPatAuthentication(pat.id))?.pat.revokedAt, t0);
      // Disabling revokes too (user-lifecycle contract); what matters here is that it shows.
      assert.equal(await store.setUserDisabled(owner.id, new Date(7000)), 'done');
      assert.equal((await store.findPatAuthentication(pat.id))?.owner.disabledAt?.getTime(), 7000);
      assert.equal(await store.deleteUser(owner.id), 'done');
      assert.equal(await store.findPatAuthentication(pat.id), null, 'gone with its owner');
    });

    it('reads a streaming token with its workspace, and follows rotations and deletions', async () => {
      const { workspaceId, tokens } = await newWorkspace();
      const other = await newWorkspace();
      assert.equal(await store.findTokenWithWorkspace(`hash-${unique('none')}`), null);
      const found = await store.findTokenWithWorkspace(tokens[0].tokenHash);
      assert.deepEqual(found, {
        token: tokens[0],
        workspace: { workspaceId, name: workspaceId, createdAt: t0 },
      });
      assert.equal(
        (await store.findTokenWithWorkspace(other.tokens[0].tokenHash))?.workspace.workspaceId,
        other.workspaceId,
      );
      const at = new Date('2026-02-01T00:00:00Z');
      await store.rotateTokens({
        workspaceId,
        rotation: planRotation({ token1: tokens[0], token2: tokens[1] }, token(workspaceId, 2), at),
        audit: rotationAudit(workspaceId),
      });
      // Read before the rotation: an implementation that remembers reads must have dropped it.
      const rotated = await store.findTokenWithWorkspace(tokens[0].tokenHash);
      assert.equal(rotated?.token.slot, null);
      assert.deepEqual(rotated?.token.deactivatedAt, at);
      assert.equal((await store.findTokenWithWorkspace(tokens[1].tokenHash))?.token.slot, 1);
      assert.equal(await store.deleteWorkspace(workspaceId), true);
      assert.equal(await store.findTokenWithWorkspace(tokens[1].tokenHash), null);
      assert.ok(
        await store.findTokenWithWorkspace(other.tokens[0].tokenHash),
        'the other workspace is untouched',
      );
    });

    it('answers token lookups made at the same time, each with its own answer', async () => {
      const a = await newWorkspace();
      const b = await newWorkspace();
      const unknown = `hash-${unique('none')}`;
      const asked = [a.tokens[0], b.tokens[1], a.tokens[1], a.tokens[0], b.tokens[0]].map((t) => t.tokenHash);
      const answers = await Promise.all(
        [...asked, unknown].map((hash) => store.findTokenWithWorkspace(hash)),
      );
      assert.deepEqual(
        answers.map((answer) => answer && [answer.token.id, answer.workspace.workspaceId]),
        [
          [a.tokens[0].id, a.workspaceId],
          [b.tokens[1].id, b.workspaceId],
          [a.tokens[1].id, a.workspaceId],
          [a.tokens[0].id, a.workspaceId],
          [b.tokens[0].id, b.workspaceId],
          null,
        ],
      );
      assert.notEqual(answers[0], answers[3], 'two callers never share one record');
      // Asked after a rotation committed, a lookup sees it, however many are asked with it.
      await store.rotateTokens({
        workspaceId: a.workspaceId,
        rotation: planRotation({ token1: a.tokens[0], token2: a.tokens[1] }, token(a.workspaceId, 2), t0),
        audit: rotationAudit(a.workspaceId),
      });
      const after = await Promise.all(asked.map((hash) => store.findTokenWithWorkspace(hash)));
      assert.deepEqual(
        after.map((answer) => answer?.token.slot),
        [null, 2, 1, null, 1],
      );
    });

    it('keeps signing keys by purpose, newest first', async () => {
      const kidA = unique('kid');
      const kidB = unique('kid');
      const key = {
        purpose: 'broker' as const,
        algorithm: 'ES256' as const,
        sealedPrivateKey: 's',
        publicJwk: '{}',
        retiredAt: null,
      };
      await store.addSigningKey({ ...key, kid: kidA, createdAt: new Date(1000) });
      await store.addSigningKey({ ...key, kid: kidB, createdAt: new Date(2000) });
      const keys = (await store.listSigningKeys('broker')).filter((k) => k.kid === kidA || k.kid === kidB);
      assert.deepEqual(
        keys.map((k) => k.kid),
        [kidB, kidA],
      );
      await store.retireSigningKey(kidA, new Date(3000));
      const retired = (await store.listSigningKeys('broker')).find((k) => k.kid === kidA);
      assert.equal(retired?.retiredAt?.getTime(), 3000);
      assert.equal(
        (await store.listSigningKeys('pat')).some((k) => k.kid === kidA),
        false,
      );
    });

    it('queries the audit log by workspace, actor and action, newest first, with paging', async () => {
      const ws = unique('ws');
      const entry = (n: number, action: AuditRecord['action'], workspaceId: string | null) => ({
        id: `${String(1_000_000 + n)}-${ws}`,
        at: new Date(n),
        actorKind: 'user' as const,
        actorId: 'u1',
        actorLabel: 'alice@example.test',
        action,
        workspaceId,
        target: null,
        details: { n },
        address: '127.0.0.1',
      });
      await store.appendAudit(entry(1, 'auth.login', null));
      await store.appendAudit(entry(2, 'streaming_tokens.view', ws));
      await store.appendAudit(entry(3, 'streaming_tokens.rotate', ws));
      const mine = await store.queryAudit({ workspaceIds: [ws], limit: 10 });
      assert.deepEqual(
        mine.map((e) => e.action),
        ['streaming_tokens.rotate', 'streaming_tokens.view'],
      );
      const rotations = await store.queryAudit({
        workspaceIds: null,
        workspaceId: ws,
        action: 'streaming_tokens.rotate',
        limit: 10,
      });
      assert.equal(rotations.length, 1);
      assert.deepEqual(rotations[0]?.details, { n: 3 });
      const page = await store.queryAudit({ workspaceIds: [ws], limit: 1, before: mine[0]!.id });
      assert.deepEqual(
        page.map((e) => e.action),
        ['streaming_tokens.view'],
      );
      assert.equal((await store.queryAudit({ workspaceIds: [], limit: 10 })).length, 0);
      const byActor = await store.queryAudit({ workspaceIds: [ws], actor: 'alice@example.test', limit: 10 });
      assert.equal(byActor.length, 2);
    });

    it('stores topics once per name and updates their status', async () => {
      const { workspaceId } = await newWorkspace();
      const topic = {
        workspaceId,
        name: 'orders',
        kafkaName: `${workspaceId}-orders`,
        status: 'Creating' as const,
        lastError: null,
        configuration: {
          partitions: 2,
          replicationFactor: 1,
          retentionInMinutes: 60,
          retentionInBytes: 1024,
          cleanupPolicy: 'Delete' as const,
        },
        createdAt: t0,
        updatedAt: t0,
      };
      assert.equal(await store.insertTopic(topic), true);
      assert.equal(await store.insertTopic(topic), false);
      await store.updateTopic(workspaceId, 'orders', { status: 'Ready', updatedAt: new Date(9000) });
      const found = await store.findTopic(workspaceId, 'orders');
      assert.equal(found?.status, 'Ready');
      assert.equal(found?.updatedAt.getTime(), 9000);
      assert.deepEqual(found?.configuration, topic.configuration);
      assert.equal((await store.listTopics(workspaceId)).length, 1);
      await store.deleteTopic(workspaceId, 'orders');
      assert.equal(await store.findTopic(workspaceId, 'orders'), null);
    });

    runDeploymentStorageContract({ store: () => store, unique, newWorkspace, token });
    runUserLifecycleContract({ store: () => store, user, newWorkspace });
    runSigningKeyRetirementContract({ store: () => store, unique });
  });
}
