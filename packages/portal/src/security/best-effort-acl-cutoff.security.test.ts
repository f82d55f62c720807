// Issue 10, the ACL cut-off after a rotation: each test is named after the attack (or the failure
// an attacker waits for) that it stops. The reconciler runs against an in-memory ACL store with
// Kafka's semantics; the real broker is covered by broker-access.integration.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { type AclBinding, type ActivePrincipal, aclKey, planAcls } from '../broker/acl-plan.ts';
import { createAclReconciler, type ReconcilerLogger } from '../broker/acl-reconciler.ts';
import type { AclBindingFilter } from '../broker/kafka-admin.ts';
import { KafkaUnavailableError } from '../broker/kafka-errors.ts';

function memoryBroker(initial: AclBinding[] = []) {
  const acls = new Map(initial.map((b) => [aclKey(b), b]));
  const matches = (f: AclBindingFilter, b: AclBinding) =>
    (Object.keys(f) as (keyof AclBindingFilter)[]).every((k) => f[k] === undefined || f[k] === b[k]);
  const state = { down: false, refuseToDelete: null as string | null };
  return {
    acls,
    state,
    principals: () => new Set([...acls.values()].map((b) => b.principal)),
    admin: {
      async describeAcls() {
        if (state.down) throw new KafkaUnavailableError('unreachable');
        return [...acls.values()];
      },
      async createAcls(bindings: readonly AclBinding[]) {
        if (state.down) throw new KafkaUnavailableError('unreachable');
        for (const b of bindings) acls.set(aclKey(b), b);
      },
      async deleteAcls(filters: readonly AclBindingFilter[]) {
        if (state.down) throw new KafkaUnavailableError('unreachable');
        if (filters.some((f) => f.principal === state.refuseToDelete)) throw new Error('INVALID_REQUEST');
        const deleted = [...acls.values()].filter((b) => filters.some((f) => matches(f, b)));
        for (const b of deleted) acls.delete(aclKey(b));
        return deleted;
      },
    },
  };
}

const quietLogger = () => {
  const warnings: { message: string; details?: Record<string, unknown> }[] = [];
  const logger: ReconcilerLogger = {
    info() {},
    warn: (message, details) => warnings.push({ message, details }),
  };
  return { logger, warnings };
};

async function settle() {
  for (let i = 0; i < 20; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

const oldToken: ActivePrincipal = { principal: 'sgt-rotated', workspaceId: 'acme' };
const keptToken: ActivePrincipal = { principal: 'sgt-kept', workspaceId: 'acme' };
const newToken: ActivePrincipal = { principal: 'sgt-new', workspaceId: 'acme' };

describe('ACL cut-off attacks', () => {
  it("a reconcile that read the database before a rotation cannot re-create the rotated token's ACLs", async () => {
    const broker = memoryBroker(planAcls([oldToken, keptToken]));
    let active = [oldToken, keptToken];
    // Another instance rotates (database first, then its own cut-off at the broker) right after
    // this instance's reconcile made its first call, whichever that call is.
    let rotated = false;
    const rotateElsewhere = () => {
      if (rotated) return;
      rotated = true;
      active = [keptToken, newToken];
      for (const b of planAcls([oldToken])) broker.acls.delete(aclKey(b));
    };
    const reconciler = createAclReconciler({
      admin: {
        ...broker.admin,
        async describeAcls() {
          const acls = await broker.admin.describeAcls();
          rotateElsewhere();
          return acls;
        },
      },
      listActivePrincipals: async () => {
        const rows = [...active];
        rotateElsewhere();
        return rows;
      },
      logger: quietLogger().logger,
    });
    await reconciler.reconcileNow();
    assert.ok(rotated);
    assert.ok(!broker.principals().has('User:sgt-rotated'), 'the rotated token got its ACLs back');
    assert.deepEqual(broker.principals(), new Set(['User:sgt-kept', 'User:sgt-new']));
  });

  it('one bad row in the database does not stop the cut-off of every other token; it is skipped and reported', async () => {
    const broker = memoryBroker(planAcls([oldToken, keptToken]));
    const { logger, warnings } = quietLogger();
    const reconciler = createAclReconciler({
      admin: broker.admin,
      listActivePrincipals: async () => [
        keptToken,
        { principal: 'sgt-bad row;', workspaceId: 'acme' },
        { principal: 'sgt-bad-workspace', workspaceId: 'Not A Workspace!' },
      ],
      logger,
    });
    const result = await reconciler.reconcileNow();
    assert.deepEqual(broker.principals(), new Set(['User:sgt-kept']));
    assert.deepEqual(
      result.skipped.map((s) => s.principal),
      ['sgt-bad row;', 'sgt-bad-workspace'],
    );
    assert.ok(warnings.some((w) => /skipped/.test(w.message)));
  });

  it('one ACL the broker refuses to delete does not keep the other revocations; the run reports it and retries', async () => {
    const other: ActivePrincipal = { principal: 'sgt-other-rotated', workspaceId: 'acme' };
    const broker = memoryBroker(planAcls([oldToken, other, keptToken]));
    broker.state.refuseToDelete = 'User:sgt-other-rotated';
    const reconciler = createAclReconciler({
      admin: broker.admin,
      listActivePrincipals: async () => [keptToken],
      logger: quietLogger().logger,
    });
    await assert.rejects(reconciler.reconcileNow(), /ACL deletion\(s\) failed; the others were applied/);
    assert.deepEqual(broker.principals(), new Set(['User:sgt-kept', 'User:sgt-other-rotated']));
    assert.ok(reconciler.lastError);
  });

  it('a cut-off that failed while the broker was unreachable is retried within seconds, not on the 30 s timer', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const broker = memoryBroker();
    let active = [oldToken, keptToken];
    const reconciler = createAclReconciler({
      admin: broker.admin,
      listActivePrincipals: async () => active,
      intervalMs: 30_000,
      logger: quietLogger().logger,
    });
    t.after(() => reconciler.stop());
    reconciler.start();
    await settle();
    assert.deepEqual(broker.principals(), new Set(['User:sgt-rotated', 'User:sgt-kept']));

    // The rotation commits while the broker is unreachable: its cut-off fails.
    broker.state.down = true;
    active = [keptToken];
    await assert.rejects(reconciler.reconcileNow());
    broker.state.down = false;
    for (let i = 0; i < 5 && broker.principals().has('User:sgt-rotated'); i += 1) {
      t.mock.timers.tick(1000);
      await settle();
    }
    assert.deepEqual(broker.principals(), new Set(['User:sgt-kept']));
    assert.equal(reconciler.lastError, null);
  });

  describe('the rotation answer says whether the broker cut-off is done or pending', () => {
    const rotateOn = async (h: Harness) => {
      await h.createWorkspace('cutoff');
      const response = await h.rotate('cutoff');
      assert.equal(response.statusCode, 200, response.body);
      return response.json().brokerCutoff as unknown;
    };

    it('pending when the broker cannot be reached (never a silent success)', async () => {
      const h = await startHarness({
        env: {
          STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:1',
          STREAMGATE_KAFKA_ADMIN_USER: 'streamgate-admin',
          STREAMGATE_KAFKA_ADMIN_PASSWORD: 'not-a-real-password',
        },
      });
      try {
        assert.equal(await rotateOn(h), 'pending');
      } finally {
        await h.close();
      }
    });

    it('null when no broker is configured', async () => {
      const h = await startHarness();
      try {
        assert.equal(await rotateOn(h), null);
      } finally {
        await h.close();
      }
    });
  });
});
