// The reconciler against an in-memory ACL store that behaves like Kafka's (set semantics, exact
// delete filters). The real broker is exercised by acl-reconciler.integration.test.ts.
import assert from 'node:assert/strict';
import { describe, mock, test } from 'node:test';
import { type AclBinding, type ActivePrincipal, aclKey, planAcls } from './acl-plan.ts';
import { createAclReconciler, type ReconcilerLogger } from './acl-reconciler.ts';
import type { AclBindingFilter } from './kafka-admin.ts';
import { KafkaUnavailableError } from './kafka-errors.ts';

function fakeAdmin(initial: AclBinding[] = []) {
  const acls = new Map(initial.map((b) => [aclKey(b), b]));
  const calls: string[] = [];
  let down = false;
  let gate: Promise<void> | null = null;
  const guard = async (name: string) => {
    calls.push(name);
    if (gate) await gate;
    if (down) throw new KafkaUnavailableError('unreachable');
  };
  const matches = (f: AclBindingFilter, b: AclBinding) =>
    (Object.keys(f) as (keyof AclBindingFilter)[]).every((k) => f[k] === undefined || f[k] === b[k]);
  return {
    acls,
    calls,
    setDown: (value: boolean) => {
      down = value;
    },
    /** Holds every admin call until the returned function is called. */
    hold() {
      let release = () => {};
      gate = new Promise((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return release;
    },
    admin: {
      async describeAcls() {
        await guard('describe');
        return [...acls.values()];
      },
      async createAcls(bindings: readonly AclBinding[]) {
        await guard('create');
        for (const b of bindings) acls.set(aclKey(b), b);
      },
      async deleteAcls(filters: readonly AclBindingFilter[]) {
        await guard('delete');
        const deleted = [...acls.values()].filter((b) => filters.some((f) => matches(f, b)));
        for (const b of deleted) acls.delete(aclKey(b));
        return deleted;
      },
    },
  };
}

function recordingLogger() {
  const lines: { level: string; message: string; details?: Record<string, unknown> }[] = [];
  const logger: ReconcilerLogger = {
    info: (message, details) => lines.push({ level: 'info', message, details }),
    warn: (message, details) => lines.push({ level: 'warn', message, details }),
  };
  return { logger, lines };
}

const adminAcl: AclBinding = {
  principal: 'User:admin',
  host: '*',
  resourceType: 'CLUSTER',
  resourceName: 'kafka-cluster',
  patternType: 'LITERAL',
  operation: 'ALL',
  permission: 'ALLOW',
};

describe('createAclReconciler', () => {
  test('converges to the plan, is idempotent, and never touches foreign ACLs', async () => {
    let active: ActivePrincipal[] = [
      { principal: 'sgt-a', workspaceId: 'ws1' },
      { principal: 'sgt-b', workspaceId: 'ws2' },
    ];
    const kafka = fakeAdmin([adminAcl]);
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => active,
      logger: recordingLogger().logger,
    });
    const before = reconciler.lastReconciledAt;
    assert.equal(before, null);

    const planned = planAcls(active).length;
    assert.deepEqual(await reconciler.reconcileNow(), { created: planned, deleted: 0, skipped: [] });
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: 0, skipped: [] });
    assert.ok(reconciler.lastReconciledAt instanceof Date);

    active = [{ principal: 'sgt-b', workspaceId: 'ws2' }];
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: planned / 2, skipped: [] });
    assert.deepEqual(
      new Set([...kafka.acls.values()].map((b) => b.principal)),
      new Set(['User:admin', 'User:sgt-b']),
    );
  });

  test('revokes before it grants', async () => {
    let active: ActivePrincipal[] = [{ principal: 'sgt-old', workspaceId: 'ws1' }];
    const kafka = fakeAdmin();
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => active,
      logger: recordingLogger().logger,
    });
    await reconciler.reconcileNow();
    kafka.calls.length = 0;
    active = [{ principal: 'sgt-new', workspaceId: 'ws1' }];
    await reconciler.reconcileNow();
    assert.deepEqual(kafka.calls, ['describe', 'delete', 'create']);
  });

  test('calls made after a run read the database share one follow-up run that sees the newest data', async () => {
    let active: ActivePrincipal[] = [{ principal: 'sgt-a', workspaceId: 'ws1' }];
    let reads = 0;
    let releaseRead = () => {};
    const readHeld = new Promise<void>((resolve) => {
      releaseRead = resolve;
    });
    const kafka = fakeAdmin();
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => {
        reads += 1;
        const rows = active;
        if (reads === 1) await readHeld;
        return rows;
      },
      logger: recordingLogger().logger,
    });
    const first = reconciler.reconcileNow();
    while (reads === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    // A rotation commits after the first run read the database; two callers ask to reconcile.
    active = [{ principal: 'sgt-c', workspaceId: 'ws1' }];
    const second = reconciler.reconcileNow();
    const third = reconciler.reconcileNow();
    assert.notEqual(second, first);
    assert.equal(second, third);
    releaseRead();
    await first;
    await second;
    assert.equal(reads, 2);
    assert.deepEqual(new Set([...kafka.acls.values()].map((b) => b.principal)), new Set(['User:sgt-c']));
  });

  test('a call made while a run still describes the ACLs joins it: its database read sees the change', async () => {
    let active: ActivePrincipal[] = [{ principal: 'sgt-a', workspaceId: 'ws1' }];
    let reads = 0;
    const kafka = fakeAdmin();
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => {
        reads += 1;
        return active;
      },
      logger: recordingLogger().logger,
    });
    await reconciler.reconcileNow();
    reads = 0;
    kafka.calls.length = 0;
    // A rotation's listener starts a run right after the commit; the route then asks for the
    // cut-off while that run waits for the broker's describe.
    const release = kafka.hold();
    active = [{ principal: 'sgt-c', workspaceId: 'ws1' }];
    const first = reconciler.reconcileNow();
    const second = reconciler.reconcileNow();
    assert.equal(second, first);
    release();
    assert.deepEqual(await second, {
      created: planAcls(active).length,
      deleted: planAcls(active).length,
      skipped: [],
    });
    assert.equal(reads, 1);
    assert.deepEqual(kafka.calls, ['describe', 'delete', 'create']);
    assert.deepEqual(new Set([...kafka.acls.values()].map((b) => b.principal)), new Set(['User:sgt-c']));
  });

  test('cuts off tokens no longer active in a first deletion, before it plans the rest; strays follow', async () => {
    const kept: ActivePrincipal = { principal: 'sgt-kept', workspaceId: 'ws1' };
    const stray: AclBinding = { ...planAcls([kept])[0]!, resourceName: 'ws2-' };
    const kafka = fakeAdmin([
      adminAcl,
      ...planAcls([{ principal: 'sgt-old', workspaceId: 'ws1' }, kept]),
      stray,
    ]);
    const deletions: string[][] = [];
    const reconciler = createAclReconciler({
      admin: {
        ...kafka.admin,
        async deleteAcls(filters) {
          deletions.push([...new Set(filters.map((f) => `${f.principal} ${f.resourceName}`))]);
          return kafka.admin.deleteAcls(filters);
        },
      },
      listActivePrincipals: async () => [kept, { principal: 'sgt-new', workspaceId: 'ws1' }],
      logger: recordingLogger().logger,
    });
    const result = await reconciler.reconcileNow();
    assert.deepEqual(deletions, [['User:sgt-old ws1-'], ['User:sgt-kept ws2-']]);
    assert.equal(result.deleted, planAcls([kept]).length + 1);
    assert.deepEqual(
      new Set(kafka.acls.keys()),
      new Set([adminAcl, ...planAcls([kept, { principal: 'sgt-new', workspaceId: 'ws1' }])].map(aclKey)),
    );
  });

  test('refuses an owned-principal prefix outside User: at creation', () => {
    for (const ownedPrincipalPrefix of ['sgt-', 'User:'])
      assert.throws(
        () =>
          createAclReconciler({
            admin: fakeAdmin().admin,
            listActivePrincipals: async () => [],
            logger: recordingLogger().logger,
            ownedPrincipalPrefix,
          }),
        TypeError,
      );
  });

  test('a broker outage is recorded, reported to the caller, and converges later', async () => {
    const kafka = fakeAdmin();
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => [{ principal: 'sgt-a', workspaceId: 'ws1' }],
      logger: recordingLogger().logger,
    });
    kafka.setDown(true);
    await assert.rejects(reconciler.reconcileNow(), KafkaUnavailableError);
    assert.ok(reconciler.lastError instanceof KafkaUnavailableError);
    assert.equal(reconciler.lastReconciledAt, null);

    kafka.setDown(false);
    assert.equal((await reconciler.reconcileNow()).deleted, 0);
    assert.equal(reconciler.lastError, null);
    assert.ok(reconciler.lastReconciledAt);
  });

  test('start() reconciles at once and on every tick, logging failures instead of throwing', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const kafka = fakeAdmin();
    const { logger, lines } = recordingLogger();
    let active: ActivePrincipal[] = [{ principal: 'sgt-a', workspaceId: 'ws1' }];
    const listed = mock.fn(async () => active);
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: listed,
      intervalMs: 1000,
      logger,
    });
    kafka.setDown(true);
    reconciler.start();
    await settle();
    // ACLs are described before the database is read, so the failed run never got to read it.
    assert.deepEqual(kafka.calls, ['describe']);
    assert.equal(listed.mock.callCount(), 0);
    assert.ok(reconciler.lastError);
    assert.ok(lines.some((l) => l.level === 'warn' && /retry/.test(l.message)));

    kafka.setDown(false);
    active = [{ principal: 'sgt-b', workspaceId: 'ws2' }];
    t.mock.timers.tick(1000);
    await settle();
    assert.equal(listed.mock.callCount(), 1);
    assert.equal(reconciler.lastError, null);
    assert.deepEqual(new Set([...kafka.acls.values()].map((b) => b.principal)), new Set(['User:sgt-b']));

    await reconciler.stop();
    t.mock.timers.tick(5000);
    await settle();
    assert.equal(listed.mock.callCount(), 1);
  });

  test('a principal claimed by two workspaces is warned about and gets no ACLs', async () => {
    const kafka = fakeAdmin();
    const { logger, lines } = recordingLogger();
    const reconciler = createAclReconciler({
      admin: kafka.admin,
      listActivePrincipals: async () => [
        { principal: 'sgt-a', workspaceId: 'ws1' },
        { principal: 'sgt-a', workspaceId: 'ws2' },
      ],
      logger,
    });
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: 0, skipped: [] });
    assert.deepEqual(lines.find((l) => l.level === 'warn')?.details, { principals: ['sgt-a'] });
  });
});

/** Lets the promise chains started by a timer callback run to completion. */
async function settle() {
  for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
