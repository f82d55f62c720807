// The ACL reconciler against a real broker (kafka/test-broker.ts): what it owns, what it leaves
// alone, and two portal instances reconciling at the same time.
// Run: node --test packages/portal/src/broker/acl-reconciler.integration.test.ts
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestBroker, type TestBroker } from '../../../../kafka/test-broker.ts';
import { tokenClients } from '../../../../kafka/test-clients.ts';
import { kafkaErrorIds, rejectionOf } from '../../../../kafka/test-support.ts';
import { type AclBinding, type ActivePrincipal, aclKey, planAcls } from './acl-plan.ts';
import { createAclReconciler } from './acl-reconciler.ts';
import { createKafkaAdmin, type KafkaAdmin } from './kafka-admin.ts';

const quietLogger = { info: () => {}, warn: () => {} };

describe('ACL reconciler on a real broker', { timeout: 600_000 }, () => {
  let broker: TestBroker;
  const admins: KafkaAdmin[] = [];
  const newAdmin = () => {
    const admin = createKafkaAdmin({
      bootstrap: broker.server.bootstrap,
      username: broker.adminUser,
      password: broker.adminPassword,
      mechanism: 'SCRAM-SHA-512',
    });
    admins.push(admin);
    return admin;
  };
  const keys = (bindings: readonly AclBinding[]) => new Set(bindings.map(aclKey));

  before(async (t) => {
    broker = await startTestBroker();
    t.diagnostic(`broker ready in ${broker.firstStartMs} ms`);
  });

  after(async () => {
    for (const admin of admins) await admin.close();
    await broker?.close();
  });

  test('removes stray ACLs of owned principals and never touches anyone else’s', async () => {
    const admin = newAdmin();
    const planned = planAcls([{ principal: 'sgt-a', workspaceId: 'ws1' }]);
    const base = planned.find((b) => b.resourceType === 'TOPIC' && b.operation === 'READ')!;
    const foreign: AclBinding[] = [
      // An operator's own grant for an analytics job, on the same prefix.
      { ...base, principal: 'User:analytics' },
      // A principal that merely looks similar: the owned prefix is "User:sgt-", not "User:sgt".
      { ...base, principal: 'User:sgtx-reporting' },
      // The portal's admin with a literal grant.
      { ...base, principal: `User:${broker.adminUser}`, patternType: 'LITERAL', resourceName: 'ws1-orders' },
    ];
    const stray: AclBinding[] = [
      // A token that is no longer active.
      { ...base, principal: 'User:sgt-gone' },
      // An active token with more than it should have: ALL, a LITERAL twin, a DENY, another host.
      { ...base, operation: 'ALL' },
      { ...base, patternType: 'LITERAL' },
      { ...base, permission: 'DENY', resourceName: 'ws1-secret' },
      { ...base, host: '10.1.2.3' },
    ];
    await admin.createAcls([...foreign, ...stray]);

    const reconciler = createAclReconciler({
      admin,
      listActivePrincipals: async () => [{ principal: 'sgt-a', workspaceId: 'ws1' }],
      logger: quietLogger,
    });
    assert.deepEqual(await reconciler.reconcileNow(), {
      created: planned.length,
      deleted: stray.length,
      skipped: [],
    });
    assert.deepEqual(keys(await admin.describeAcls()), keys([...foreign, ...planned]));
    assert.deepEqual(await reconciler.reconcileNow(), { created: 0, deleted: 0, skipped: [] });

    // Leave the broker as the next test expects it: only the foreign ACLs and nothing owned.
    const cleanup = createAclReconciler({ admin, listActivePrincipals: async () => [], logger: quietLogger });
    await cleanup.reconcileNow();
    assert.deepEqual(keys(await admin.describeAcls()), keys(foreign));
    await admin.deleteAcls(foreign);
  });

  test('two portal instances reconciling a rotation at once converge without errors', async (t) => {
    let active: ActivePrincipal[] = [
      { principal: 'sgt-t1', workspaceId: 'acme-dev' },
      { principal: 'sgt-t2', workspaceId: 'acme-dev' },
    ];
    const instances = [newAdmin(), newAdmin()].map((admin) =>
      createAclReconciler({ admin, listActivePrincipals: async () => active, logger: quietLogger }),
    );
    await Promise.all(instances.map((r) => r.reconcileNow()));

    // Rotation: Token 1 deactivated, Token 2 becomes Token 1, a new Token 2.
    active = [
      { principal: 'sgt-t2', workspaceId: 'acme-dev' },
      { principal: 'sgt-t3', workspaceId: 'acme-dev' },
    ];
    const results = await Promise.all(instances.flatMap((r) => [r.reconcileNow(), r.reconcileNow()]));
    // Between them they made exactly the change once or more (Kafka creates and deletes idempotently).
    assert.ok(results.some((r) => r.created > 0) && results.some((r) => r.deleted > 0));
    assert.deepEqual(keys(await newAdmin().describeAcls()), keys(planAcls(active)));
    for (const instance of instances) assert.equal(instance.lastError, null);

    // And the broker enforces it: the deactivated token is refused, the surviving one is not.
    await newAdmin().createTopic({ name: 'acme-dev-events', partitions: 1, replicationFactor: 1 });
    const clients = tokenClients(() => broker.server.bootstrap);
    const send = (sub: string) =>
      clients
        .producer(t, broker.jwks.sign(sub))
        .send({ messages: [{ topic: 'acme-dev-events', key: sub, value: 'hello' }] });
    await send('sgt-t2');
    await send('sgt-t3');
    const refused = await rejectionOf(send('sgt-t1'));
    assert.ok(kafkaErrorIds(refused).has('TOPIC_AUTHORIZATION_FAILED'), [...kafkaErrorIds(refused)].join());
  });
});
