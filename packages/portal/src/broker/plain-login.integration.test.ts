import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { kafkaTestClients, readBack, sendOne } from '../../test-support/kafka-test-clients.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';
import { generateStreamingToken } from '../tokens/streaming-token-format.ts';

/**
 * SASL/PLAIN at the real broker, checked by Streamgate's plugin (kafka/plain-plugin) against the
 * portal: username `sgt-<tokenId>`, password the token. The login gets exactly the token's ACLs;
 * wrong passwords, other principals and deactivated tokens are refused at authentication, and no
 * password reaches a log.
 */
interface Session {
  cookie: string;
  csrf: string;
}

interface Login {
  username: string;
  password: string;
}

describe('PLAIN logins with streaming tokens (real Kafka)', () => {
  let stack: Stack;
  let admin: Session;
  const closers: (() => Promise<unknown>)[] = [];
  const passwordsUsed = new Set<string>();

  const api = async (path: string, init: RequestInit & { session?: Session; token?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.session) {
      headers.set('cookie', init.session.cookie);
      headers.set('x-csrf-token', init.session.csrf);
    }
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(`${stack.portalUrl}${path}`, { ...init, headers });
  };

  /** Each token's PLAIN login, as the workspace object gives it to the token itself. */
  const logins = async (workspaceId: string) => {
    const response = await api(`/workspaces/${workspaceId}/streaming-tokens`, { session: admin });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { token1: { value: string }; token2: { value: string } };
    const loginOf = async (token: string): Promise<Login> => {
      const workspace = (await (await api(`/workspaces/${workspaceId}`, { token })).json()) as {
        broker: { saslMechanism: string; username: string; password: string };
      };
      assert.equal(workspace.broker.saslMechanism, 'Plain');
      return { username: workspace.broker.username, password: workspace.broker.password };
    };
    return { token1: await loginOf(body.token1.value), token2: await loginOf(body.token2.value) };
  };

  const sasl = (login: Login) => {
    passwordsUsed.add(login.password);
    return { mechanism: 'PLAIN' as const, username: login.username, password: login.password };
  };

  const clients = kafkaTestClients({
    bootstrap: () => stack.kafkaBootstrap!,
    clientId: 'plain-test',
    closers,
    retryDelay: 300,
    producerRetries: 1,
    consumerRetries: 2,
  });
  const producerFor = (login: Login) => clients.producer(sasl(login));
  const consumerFor = (login: Login, groupId: string) => clients.consumer(sasl(login), groupId);

  const createTopic = async (workspaceId: string, login: Login, name: string) => {
    const response = await api(`/${workspaceId}/topics`, {
      method: 'POST',
      token: login.password,
      body: JSON.stringify({ name, configuration: { partitions: 1 } }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { id: string }).id;
  };

  /** The login is refused at authentication (not merely unauthorized) by the broker. */
  const assertLoginRefused = async (login: Login, what: string) => {
    const error = await sendOne(producerFor(login), 'dev-plain', 'must-not-arrive').then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error, `${what}: the send must fail`);
    assert.match(inspect(error, { depth: 6 }), /Invalid username or password|SASL|authenticat/i, what);
  };

  before(async () => {
    stack = await startStack();
    const login = await fetch(`${stack.portalUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    admin = { cookie, csrf: ((await login.json()) as { csrfToken: string }).csrfToken };
    const created = await api('/workspaces', {
      method: 'POST',
      session: admin,
      body: JSON.stringify({ workspaceId: 'rival', name: 'Rival' }),
    });
    assert.equal(created.status, 201);
  });

  after(async () => {
    for (const close of closers.reverse()) await Promise.race([close().catch(() => {}), sleep(5000)]);
    await stack?.stop();
  });

  it("produces and consumes on its own workspace, with both tokens' logins", async () => {
    const dev = await logins('dev');
    const topic = await createTopic('dev', dev.token1, 'plain');
    await sendOne(producerFor(dev.token1), topic, 'from-token1');
    await sendOne(producerFor(dev.token2), topic, 'from-token2');
    const values = await readBack(consumerFor(dev.token2, 'dev-plain-readers'), topic, 2);
    assert.deepEqual(values.sort(), ['from-token1', 'from-token2']);
  });

  it("keeps workspaces apart: no reading, writing or listing another workspace's topics", async () => {
    const dev = await logins('dev');
    const rival = await logins('rival');
    const rivalTopic = await createTopic('rival', rival.token1, 'secrets');
    await sendOne(producerFor(rival.token1), rivalTopic, 'secret');

    await assert.rejects(sendOne(producerFor(dev.token1), rivalTopic, 'intrusion'), /authori[sz]/i);
    await assert.rejects(readBack(consumerFor(dev.token1, 'dev-intruder'), rivalTopic, 1), /authori[sz]/i);
    await assert.rejects(readBack(consumerFor(dev.token1, 'rival-group'), 'dev-plain', 1), /authori[sz]/i);
    const lister = new Admin({
      clientId: 'plain-lister',
      bootstrapBrokers: [stack.kafkaBootstrap!],
      sasl: sasl(dev.token2),
    });
    closers.push(() => lister.close());
    const visible = await lister.listTopics();
    assert.ok(visible.includes('dev-plain'), `dev sees its own topic: ${visible}`);
    assert.ok(!visible.includes(rivalTopic), `dev does not see rival's topic: ${visible}`);
  });

  it("refuses a wrong password, another token's principal and a token under a principal not its own", async () => {
    const dev = await logins('dev');
    const rival = await logins('rival');
    await assertLoginRefused(
      { username: dev.token1.username, password: generateStreamingToken() },
      'wrong password',
    );
    await assertLoginRefused(
      { username: dev.token1.username, password: `${dev.token1.password.slice(0, -1)}x` },
      'a typo of the right password',
    );
    await assertLoginRefused(
      { username: dev.token2.username, password: dev.token1.password },
      'Token 1 as Token 2',
    );
    await assertLoginRefused(
      { username: rival.token1.username, password: dev.token1.password },
      "rival's principal",
    );
    await assertLoginRefused(
      { username: 'streamgate-admin', password: dev.token1.password },
      'the admin principal',
    );
    await assertLoginRefused(
      { username: 'dev', password: dev.token1.password },
      'the workspace id as username',
    );
    // The right login still works after all that (nothing locked it out).
    await sendOne(producerFor(dev.token1), 'dev-plain', 'still-fine');
  });

  it('refuses a rotated-away token at authentication, while the promoted token keeps its login', async () => {
    const before = await logins('rival');
    await sendOne(producerFor(before.token1), 'rival-secrets', 'before-rotation');
    const { etag } = {
      etag: (await api('/workspaces/rival/streaming-tokens', { session: admin })).headers.get('etag')!,
    };
    const rotated = await api('/workspaces/rival/streaming-tokens/rotate', {
      method: 'POST',
      session: admin,
      headers: { 'if-match': etag },
    });
    assert.equal(rotated.status, 200);
    // A verdict is cached for a few seconds at most: poll (bounded) until the new login is refused.
    const deadline = Date.now() + 30_000;
    let refused: unknown = null;
    while (!refused && Date.now() < deadline) {
      refused = await sendOne(producerFor(before.token1), 'rival-secrets', 'after-rotation').then(
        () => null,
        (e: unknown) => e,
      );
      if (!refused) await sleep(500);
    }
    assert.ok(refused, 'the deactivated token was refused within 30 s');
    assert.match(inspect(refused, { depth: 6 }), /Invalid username or password|SASL|authenticat/i);
    const after = await logins('rival');
    assert.deepEqual(after.token1, before.token2, 'Token 2 is now Token 1, with the same login');
    await sendOne(producerFor(after.token1), 'rival-secrets', 'promoted');
  });

  it("keeps every password out of the portal's and the broker's logs", async () => {
    assert.ok(passwordsUsed.size >= 6);
    const portalLog = stack.portal.output();
    const brokerLog = readFileSync(join(stack.kafkaDataDir!, 'logs', 'server.log'), 'utf8');
    assert.match(brokerLog, /PLAIN login as sgt-\S+ refused/, 'the plugin did log refusals (by username)');
    for (const password of passwordsUsed) {
      for (const [name, log] of [
        ['portal', portalLog],
        ['broker', brokerLog],
      ] as const) {
        assert.ok(!log.includes(password), `${name} log holds a password`);
        assert.ok(!log.includes(password.slice(4, 24)), `${name} log holds part of a password`);
      }
    }
  });
});
