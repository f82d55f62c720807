// topics create / list / delete against a real portal that manages a real Kafka broker.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliSuite } from '../../test-support/cli-suite.ts';

const suite = cliSuite({ patName: 'topics tests', kafka: true, workspaces: ['shop'] });
const { cli } = suite;

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
  const topic = (await suite.portal.api('GET', '/shop/topics/orders', { session: suite.portal.admin })).body;
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
  assert.equal(
    (await suite.portal.api('GET', '/shop/topics/orders', { session: suite.portal.admin })).status,
    404,
  );
  assert.deepEqual(JSON.parse((await cli(['topics', 'list', 'shop', '--json'])).stdout), []);
});
