// topics create / list / delete against a real portal that manages a real Kafka broker.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli, startTestPortal, type TestPortal, tempConfigHome } from '../../test-support/cli-harness.ts';

let portal: TestPortal;
let env: Record<string, string>;
const home = tempConfigHome();
before(async () => {
  portal = await startTestPortal({ kafka: true });
  await portal.createWorkspace('shop');
  const pat = await portal.createPat({ name: 'topics tests' });
  env = { STREAMGATE_URL: portal.url, STREAMGATE_TOKEN: pat.token };
});
after(async () => {
  await portal?.stop();
  home.remove();
});
const cli = (args: string[]) => runCli(args, { configHome: home.dir, env });

test('topics create makes the Kafka topic with the options given', async () => {
  const run = await cli([
    'topics',
    'create',
    'shop',
    'orders',
    '--partitions',
    '3',
    '--retention-minutes',
    '1440',
    '--cleanup-policy',
    'compact',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(
    run.stdout,
    'Created topic orders (Kafka topic shop-orders): 3 partitions, replication 1, retention 1440 min, cleanup Compact.\n',
  );
  const topic = (await portal.api('GET', '/shop/topics/orders', { session: portal.admin })).body;
  assert.equal(topic.status, 'Ready');
  assert.deepEqual(topic.configuration, {
    partitions: 3,
    replicationFactor: 1,
    retentionInMinutes: 1440,
    retentionInBytes: 52428800,
    cleanupPolicy: 'Compact',
  });
});

test('topics list shows it; a second create is the portal’s "already exists"', async () => {
  const run = await cli(['topics', 'list', 'shop']);
  assert.equal(run.code, 0, run.stderr);
  assert.match(
    run.stdout,
    /^NAME +KAFKA TOPIC +STATUS +PARTITIONS +RETENTION +CLEANUP +CREATED\norders +shop-orders +Ready +3 +1440 min +Compact +/,
  );
  const again = await cli(['topics', 'create', 'shop', 'orders']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /error: Topic with name similar to 'orders' already exists\./);
});

test('topics delete removes it', async () => {
  const run = await cli(['topics', 'delete', 'shop', 'orders', '--yes']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'Deleted topic orders from workspace shop.\n');
  assert.equal((await portal.api('GET', '/shop/topics/orders', { session: portal.admin })).status, 404);
  assert.deepEqual(JSON.parse((await cli(['topics', 'list', 'shop', '--json'])).stdout), []);
});
