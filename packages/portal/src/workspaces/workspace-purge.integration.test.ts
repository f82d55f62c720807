import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Consumer, saslOAuthBearer, stringDeserializers } from '@platformatic/kafka';
import { ensurePythonVenv } from '../../../client/test-support/python-venv.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';
import { createKafkaAdmin, type KafkaAdmin } from '../broker/kafka-admin.ts';

/**
 * Deleting a workspace at the real broker: its topic and its consumer group go at once, the
 * DELETE answer reports each step, and while its transactional id is still kept by the broker
 * (Kafka cannot delete one; it expires after transactional.id.expiration.ms) the id, and ids it
 * is a prefix of, stay reserved, so no later workspace inherits any of it.
 */
const ws = 'purgeme';

/** One committed transaction through librdkafka (confluent_kafka, in the quixstreams venv). */
async function transactionalProduce(config: Record<string, string>, topic: string): Promise<void> {
  const script = [
    'import json, sys',
    'from confluent_kafka import Producer',
    'p = Producer(json.loads(sys.argv[1]))',
    'p.init_transactions(30)',
    'p.begin_transaction()',
    'p.produce(sys.argv[2], key=b"k", value=b"v")',
    'p.commit_transaction(30)',
  ].join('\n');
  await promisify(execFile)(await ensurePythonVenv(), ['-c', script, JSON.stringify(config), topic], {
    timeout: 90_000,
    env: { PATH: process.env.PATH ?? '' },
  });
}

describe('deleting a workspace purges its Kafka data (real Kafka)', () => {
  let stack: Stack;
  let kafka: KafkaAdmin;
  let session: { cookie: string; csrf: string };
  const closers: (() => Promise<unknown>)[] = [];

  const api = (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', session.cookie);
    headers.set('x-csrf-token', session.csrf);
    if (init.token) {
      headers.delete('cookie');
      headers.set('authorization', `Bearer ${init.token}`);
    }
    if (init.body) headers.set('content-type', 'application/json');
    return fetch(`${stack.portalUrl}${path}`, { ...init, headers });
  };
  const mint = async (token: string) => {
    const response = await fetch(`${stack.portalUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${ws}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  };

  before(async () => {
    stack = await startStack();
    const login = await fetch(`${stack.portalUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
    });
    session = {
      cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!,
      csrf: ((await login.json()) as { csrfToken: string }).csrfToken,
    };
    kafka = createKafkaAdmin({
      bootstrap: stack.kafkaBootstrap!,
      username: stack.kafkaAdmin!.user,
      password: stack.kafkaAdmin!.password,
      mechanism: 'SCRAM-SHA-512',
    });
  });
  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await kafka?.close();
    await stack?.stop();
  });

  it('removes the topic and the group at once, and keeps the id reserved while a transactional id remains', async () => {
    assert.equal(
      (await api('/workspaces', { method: 'POST', body: JSON.stringify({ workspaceId: ws, name: ws }) }))
        .status,
      201,
    );
    const tokens = (await (await api(`/workspaces/${ws}/streaming-tokens`)).json()) as {
      token1: { value: string };
    };
    const token = tokens.token1.value;
    assert.equal(
      (await api(`/${ws}/topics`, { method: 'POST', token, body: JSON.stringify({ name: 'orders' }) }))
        .status,
      201,
    );
    const topic = `${ws}-orders`;
    for (let i = 0; i < 100 && !(await kafka.listTopics(ws)).includes(topic); i++) await sleep(100);
    const sasl = {
      mechanism: 'OAUTHBEARER' as const,
      token: () => mint(token),
      authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
    };

    // A transactional producer (librdkafka, as the Python and Go clients produce exactly once)
    // and a consumer group, as a workspace's services leave them.
    const config = await (await api(`/workspaces/${ws}/broker/librdkafka`, { token })).json();
    await transactionalProduce(
      { ...(config as Record<string, string>), 'transactional.id': `${ws}-tx` },
      topic,
    );
    const consumer = new Consumer({
      clientId: 'purge-test',
      groupId: `${ws}-readers`,
      bootstrapBrokers: [stack.kafkaBootstrap!],
      deserializers: stringDeserializers,
      sasl,
      retries: 5,
      retryDelay: 500,
    });
    closers.push(() => consumer.close(true));
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: true });
    for await (const message of stream) {
      assert.equal(message.value, 'v');
      await message.commit();
      break;
    }
    await stream.close();
    await consumer.close();
    assert.deepEqual(await kafka.listGroups(`${ws}-`), [`${ws}-readers`]);
    assert.deepEqual(await kafka.listTransactionalIds(`${ws}-`), [`${ws}-tx`]);

    const deleted = await api(`/workspaces/${ws}`, { method: 'DELETE' });
    assert.equal(deleted.status, 200, await deleted.clone().text());
    const report = (
      (await deleted.json()) as {
        kafkaData: {
          complete: boolean;
          steps: Record<'topics' | 'consumerGroups' | 'transactionalIds', { done: boolean; detail: string }>;
        };
      }
    ).kafkaData;
    assert.equal(report.steps.topics.done, true, JSON.stringify(report));
    assert.equal(report.steps.consumerGroups.done, true, JSON.stringify(report));
    assert.deepEqual(await kafka.listGroups(`${ws}-`), []);
    for (let i = 0; i < 100 && (await kafka.listTopics(ws)).includes(topic); i++) await sleep(100);
    assert.ok(!(await kafka.listTopics(ws)).includes(topic), 'the topic is gone at the broker');

    // The transactional id is still at the broker: the id and ids it prefixes are reserved.
    assert.equal(report.complete, false);
    assert.equal(report.steps.transactionalIds.done, false);
    assert.match(report.steps.transactionalIds.detail, /expire/);
    for (const id of [ws, `${ws}-prod`]) {
      const again = await api('/workspaces', {
        method: 'POST',
        body: JSON.stringify({ workspaceId: id, name: id }),
      });
      assert.equal(again.status, 409, `${id} is still reserved`);
      assert.match(((await again.json()) as { message: string }).message, /reserved/);
    }
    assert.deepEqual(await kafka.listTransactionalIds(`${ws}-`), [`${ws}-tx`]);
    const other = await api('/workspaces', {
      method: 'POST',
      body: JSON.stringify({ workspaceId: 'purgemenot', name: 'x' }),
    });
    assert.equal(other.status, 201, 'an id that merely starts with the same letters is free');
  });
});
