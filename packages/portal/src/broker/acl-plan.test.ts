import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type AclBinding, aclKey, conflictingPrincipals, diffAcls, planAcls } from './acl-plan.ts';

const summary = (bindings: readonly AclBinding[]) =>
  bindings.map(
    (b) =>
      `${b.principal} ${b.permission} ${b.resourceType}:${b.patternType}:${b.resourceName} ${b.operation}`,
  );

describe('planAcls', () => {
  test('grants exactly the least-privilege set, prefixed with the workspace, and nothing on CLUSTER', () => {
    assert.deepEqual(summary(planAcls([{ principal: 'sgt-a', workspaceId: 'ws1' }])), [
      'User:sgt-a ALLOW GROUP:PREFIXED:ws1- DESCRIBE',
      'User:sgt-a ALLOW GROUP:PREFIXED:ws1- READ',
      'User:sgt-a ALLOW TOPIC:PREFIXED:ws1- DESCRIBE',
      'User:sgt-a ALLOW TOPIC:PREFIXED:ws1- DESCRIBE_CONFIGS',
      'User:sgt-a ALLOW TOPIC:PREFIXED:ws1- READ',
      'User:sgt-a ALLOW TOPIC:PREFIXED:ws1- WRITE',
      'User:sgt-a ALLOW TRANSACTIONAL_ID:PREFIXED:ws1- DESCRIBE',
      'User:sgt-a ALLOW TRANSACTIONAL_ID:PREFIXED:ws1- WRITE',
    ]);
    assert.ok(planAcls([{ principal: 'sgt-a', workspaceId: 'ws1' }]).every((b) => b.host === '*'));
  });

  test('each principal is confined to its own workspace prefix', () => {
    const plan = planAcls([
      { principal: 'sgt-a', workspaceId: 'acme-dev' },
      { principal: 'sgt-b', workspaceId: 'acme-prod' },
    ]);
    assert.deepEqual(
      new Set(plan.filter((b) => b.principal === 'User:sgt-a').map((b) => b.resourceName)),
      new Set(['acme-dev-']),
    );
    assert.deepEqual(
      new Set(plan.filter((b) => b.principal === 'User:sgt-b').map((b) => b.resourceName)),
      new Set(['acme-prod-']),
    );
  });

  test('no principals, no ACLs; duplicates count once', () => {
    assert.deepEqual(planAcls([]), []);
    const once = planAcls([{ principal: 'sgt-a', workspaceId: 'ws1' }]);
    assert.deepEqual(
      planAcls([
        { principal: 'sgt-a', workspaceId: 'ws1' },
        { principal: 'sgt-a', workspaceId: 'ws1' },
      ]),
      once,
    );
  });

  test('a principal claimed by two workspaces gets nothing (fail closed) and is reported', () => {
    const input = [
      { principal: 'sgt-a', workspaceId: 'ws1' },
      { principal: 'sgt-a', workspaceId: 'ws2' },
      { principal: 'sgt-b', workspaceId: 'ws2' },
    ];
    assert.deepEqual(new Set(planAcls(input).map((b) => b.principal)), new Set(['User:sgt-b']));
    assert.deepEqual(conflictingPrincipals(input), ['sgt-a']);
  });

  test('rejects malformed principals and workspace ids (programmer errors)', () => {
    assert.throws(() => planAcls([{ principal: '', workspaceId: 'ws1' }]), TypeError);
    assert.throws(() => planAcls([{ principal: 'User:sgt-a', workspaceId: 'ws1' }]), TypeError);
    assert.throws(() => planAcls([{ principal: 'sgt-a;User:admin', workspaceId: 'ws1' }]), TypeError);
    assert.throws(() => planAcls([{ principal: 'sgt-a', workspaceId: '' }]), TypeError);
    assert.throws(() => planAcls([{ principal: 'sgt-a', workspaceId: 'Ws1' }]), TypeError);
    assert.throws(() => planAcls([{ principal: 'sgt-a', workspaceId: 'ws1-' }]), TypeError);
  });
});

describe('diffAcls', () => {
  const a = planAcls([{ principal: 'sgt-a', workspaceId: 'ws1' }]);
  const b = planAcls([{ principal: 'sgt-b', workspaceId: 'ws2' }]);
  const admin: AclBinding = {
    principal: 'User:admin',
    host: '*',
    resourceType: 'CLUSTER',
    resourceName: 'kafka-cluster',
    patternType: 'LITERAL',
    operation: 'ALL',
    permission: 'ALLOW',
  };
  const operator: AclBinding = { ...a[0]!, principal: 'User:analytics' };

  test('from nothing: creates everything, deletes nothing', () => {
    assert.deepEqual(diffAcls([], [...a, ...b]), { toCreate: [...a, ...b], toDelete: [] });
  });

  test('converged: no changes, whatever order Kafka lists them in', () => {
    assert.deepEqual(diffAcls([...b, ...a].reverse(), [...a, ...b]), { toCreate: [], toDelete: [] });
  });

  test('rotation: the old principal loses everything, the new one gains everything, others untouched', () => {
    const c = planAcls([{ principal: 'sgt-c', workspaceId: 'ws1' }]);
    const diff = diffAcls([...a, ...b], [...b, ...c]);
    assert.deepEqual(diff.toDelete, a);
    assert.deepEqual(diff.toCreate, c);
  });

  test('never touches principals outside the owned prefix', () => {
    const diff = diffAcls([admin, operator, ...a], []);
    assert.deepEqual(diff.toDelete, a);
    assert.deepEqual(diff.toCreate, []);
  });

  test('stray ACLs on owned principals are removed (a DENY, a wider grant, another host)', () => {
    const stray: AclBinding[] = [
      { ...a[0]!, permission: 'DENY' },
      { ...a[0]!, operation: 'ALL' },
      { ...a[0]!, resourceName: 'ws2-' },
      { ...a[0]!, host: '10.0.0.1' },
      { ...a[0]!, patternType: 'LITERAL' },
    ];
    const diff = diffAcls([...a, ...stray], a);
    assert.deepEqual(diff, { toCreate: [], toDelete: stray });
  });

  test('duplicates in either input produce one change each', () => {
    const diff = diffAcls([...b, ...b], [...a, ...a]);
    assert.deepEqual(diff.toCreate, a);
    assert.deepEqual(diff.toDelete, b);
  });

  test('honours a custom owned prefix', () => {
    const custom = planAcls([{ principal: 'tenant-x', workspaceId: 'ws1' }]);
    assert.deepEqual(diffAcls([...a], custom, 'User:tenant-'), { toCreate: custom, toDelete: [] });
  });

  test('refuses desired ACLs it could never remove, and prefixes that own too much', () => {
    assert.throws(() => diffAcls([], [operator]), TypeError);
    assert.throws(() => diffAcls([], [], 'User:'), TypeError);
    assert.throws(() => diffAcls([], [], ''), TypeError);
  });

  test('aclKey distinguishes every field', () => {
    const base = a[0]!;
    const variants: AclBinding[] = [
      { ...base, principal: 'User:sgt-z' },
      { ...base, host: '127.0.0.1' },
      { ...base, resourceType: 'CLUSTER' },
      { ...base, resourceName: 'ws9-' },
      { ...base, patternType: 'LITERAL' },
      { ...base, operation: 'ALTER' },
      { ...base, permission: 'DENY' },
    ];
    const keys = new Set([base, ...variants].map(aclKey));
    assert.equal(keys.size, variants.length + 1);
  });
});
