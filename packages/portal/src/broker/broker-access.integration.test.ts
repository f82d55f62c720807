import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { Admin, saslOAuthBearer } from '@platformatic/kafka';
import { kafkaTestClients, readBack, sendOne } from '../../test-support/kafka-test-clients.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';

/**
 * Streaming tokens at the real broker: minted JWTs produce and consume, workspaces are kept
 * apart by the broker's own ACLs, a rotation cuts the old Token 1 off while Token 2 carries on,
 * and the ACLs converge after a rotation made while the broker was down.
 */
interface Session {
  cookie: string;
  csrf: string;
}

describe('broker access from streaming tokens (real Kafka)', () => {
  let stack: Stack;
  let admin: Session;
  const closers: (() => Promise<unknown>)[] = [];

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

  const tokens = async (workspaceId: string) => {
    const response = await api(`/workspaces/${workspaceId}/streaming-tokens`, { session: admin });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { token1: { value: string }; token2: { value: string } };
    return {
      token1: body.token1.value as string,
      token2: body.token2.value as string,
      etag: response.headers.get('etag')!,
    };
  };

  const rotate = async (workspaceId: string, brokerCutoff: 'done' | 'pending' = 'done') => {
    const { etag } = await tokens(workspaceId);
    const response = await api(`/workspaces/${workspaceId}/streaming-tokens/rotate`, {
      method: 'POST',
      session: admin,
      headers: { 'if-match': etag },
    });
    assert.equal(response.status, 200, await response.clone().text());
    // With the broker up the answer says the old Token 1 is already cut off; with it down, pending.
    assert.equal(((await response.json()) as { brokerCutoff: unknown }).brokerCutoff, brokerCutoff);
  };

  /** A broker JWT from the token endpoint, exactly as librdkafka asks for it. */
  const mint = async (workspaceId: string, token: string) => {
    const response = await fetch(`${stack.portalUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${workspaceId}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as {
      access_token: string;
      error: string;
      error_description: string;
    };
    if (response.status !== 200)
      throw new Error(`token endpoint: ${response.status} ${body.error}: ${body.error_description}`);
    return body.access_token as string;
  };

  const sasl = (workspaceId: string, token: string) => ({
    mechanism: 'OAUTHBEARER' as const,
    token: () => mint(workspaceId, token),
    authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
  });

  const clients = kafkaTestClients({
    bootstrap: () => stack.kafkaBootstrap!,
    clientId: 'broker-access-test',
    closers,
    retryDelay: 500,
    producerRetries: 3,
    consumerRetries: 5,
  });
  const producerFor = (workspaceId: string, token: string) => clients.producer(sasl(workspaceId, token));
  const consumerFor = (workspaceId: string, token: string, groupId: string) =>
    clients.consumer(sasl(workspaceId, token), groupId);

  const createTopic = async (workspaceId: string, token: string, name: string) => {
    const response = await api(`/${workspaceId}/topics`, {
      method: 'POST',
      token,
      body: JSON.stringify({ name, configuration: { partitions: 1 } }),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { id: string }).id;
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
    // A client of a stopped broker may never finish closing: bound each close.
    for (const close of closers.reverse()) await Promise.race([close().catch(() => {}), sleep(5000)]);
    await stack?.stop();
  });

  it('mints a broker JWT, produces and consumes on its own workspace', async () => {
    const { token1, token2 } = await tokens('dev');
    const topic = await createTopic('dev', token1, 'orders');
    assert.equal(topic, 'dev-orders');
    await sendOne(producerFor('dev', token1), topic, 'first');
    await sendOne(producerFor('dev', token2), topic, 'second');
    const values = await readBack(consumerFor('dev', token2, 'dev-readers'), topic, 2);
    assert.deepEqual(values.sort(), ['first', 'second']);
  });

  it("keeps workspaces apart at the broker: no reading, writing or listing another workspace's topics", async () => {
    const dev = await tokens('dev');
    const rival = await tokens('rival');
    const rivalTopic = await createTopic('rival', rival.token1, 'orders');
    await sendOne(producerFor('rival', rival.token1), rivalTopic, 'secret');

    await assert.rejects(
      sendOne(producerFor('dev', dev.token1), rivalTopic, 'intrusion'),
      /authori[sz]/i,
      'dev cannot write to rival',
    );
    const intruder = consumerFor('dev', dev.token1, 'dev-intruder');
    await assert.rejects(readBack(intruder, rivalTopic, 1), /authori[sz]/i, 'dev cannot read rival');
    await assert.rejects(
      readBack(consumerFor('dev', dev.token1, 'rival-group'), 'dev-orders', 1),
      /authori[sz]/i,
      "dev cannot use rival's groups",
    );

    const lister = new Admin({
      clientId: 'test-dev-lister',
      bootstrapBrokers: [stack.kafkaBootstrap!],
      sasl: sasl('dev', dev.token2),
    });
    closers.push(() => lister.close());
    const visible = await lister.listTopics();
    assert.ok(visible.includes('dev-orders'), `dev sees its own topic: ${visible}`);
    assert.ok(!visible.includes(rivalTopic), `dev does not see rival's topic: ${visible}`);
  });

  it('cuts off the rotated Token 1 at the broker within seconds while Token 2 produces without an error', async () => {
    const before = await tokens('dev');
    const oldProducer = producerFor('dev', before.token1);
    const token2Producer = producerFor('dev', before.token2);
    await sendOne(oldProducer, 'dev-orders', 'old-ok');
    await sendOne(token2Producer, 'dev-orders', 'token2-ok');

    // Token 2 keeps producing throughout; every send must succeed.
    let stop = false;
    let token2Sent = 0;
    const token2Errors: unknown[] = [];
    const steady = (async () => {
      while (!stop) {
        try {
          await sendOne(token2Producer, 'dev-orders', `steady-${token2Sent}`);
          token2Sent++;
        } catch (error) {
          token2Errors.push(error);
        }
        await sleep(100);
      }
    })();

    await rotate('dev');
    assert.equal((await tokens('dev')).token1, before.token2, 'Token 2 took Token 1’s place');
    await assert.rejects(
      mint('dev', before.token1),
      /invalid_client.*rotation/,
      'the old token mints nothing',
    );

    // The old token's already-open, already-authenticated connection is refused on its next request.
    let cutOff: unknown = null;
    const deadline = Date.now() + 30_000;
    while (!cutOff && Date.now() < deadline) {
      try {
        await sendOne(oldProducer, 'dev-orders', 'after-rotation');
        await sleep(200);
      } catch (error) {
        cutOff = error;
      }
    }
    assert.ok(cutOff, 'the old Token 1 producer was refused within 30 s of the rotation');
    assert.match(inspect(cutOff, { depth: 5 }), /authori[sz]/i);

    await sleep(1000);
    stop = true;
    await steady;
    assert.deepEqual(token2Errors, [], 'Token 2 saw no error at all');
    assert.ok(token2Sent > 0);
  });

  it('converges the ACLs after a rotation made while the broker was down', async () => {
    const before = await tokens('rival');
    await stack.stopKafka();
    await rotate('rival', 'pending'); // the database is the truth; the rotation does not need Kafka

    // Meanwhile, topic changes answer 503 and leave nothing half-created.
    const outage = await api('/rival/topics', {
      method: 'POST',
      token: before.token2,
      body: JSON.stringify({ name: 'during-outage' }),
    });
    assert.equal(outage.status, 503);
    assert.match(((await outage.json()) as { message: string }).message, /broker cannot be reached/);
    assert.equal((await api('/rival/topics/during-outage', { token: before.token2 })).status, 404);
    const deletion = await api('/rival/topics/orders', { method: 'DELETE', session: admin });
    assert.equal(deletion.status, 503);
    const kept = (await (await api('/rival/topics/orders', { session: admin })).json()) as { status: string };
    assert.equal(kept.status, 'Ready', 'a failed deletion leaves the topic as it was');

    await stack.startKafka();

    const after = await tokens('rival');
    // The new Token 2's principal gets its ACLs, and the deactivated one loses them, once reconciled.
    const deadline = Date.now() + 60_000;
    let lastError: unknown = null;
    for (;;) {
      try {
        await sendOne(producerFor('rival', after.token2), 'rival-orders', 'new-token2');
        break;
      } catch (error) {
        lastError = error;
        if (Date.now() > deadline) throw lastError;
        await sleep(1000);
      }
    }
    await assert.rejects(mint('rival', before.token1), /invalid_client/);
    await sendOne(producerFor('rival', after.token1), 'rival-orders', 'promoted-token');
  });

  it('keeps clients working across a portal restart: same signing key, the broker keeps validating', async () => {
    const { token2 } = await tokens('dev');
    const kidsBefore = (
      (await (await api('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] }
    ).keys.map((k) => k.kid);
    const producer = producerFor('dev', token2);
    await sendOne(producer, 'dev-orders', 'before-restart');
    await stack.restartPortal();
    const kidsAfter = (
      (await (await api('/.well-known/jwks.json')).json()) as { keys: { kid: string }[] }
    ).keys.map((k) => k.kid);
    assert.deepEqual(kidsAfter, kidsBefore);
    await sendOne(producer, 'dev-orders', 'after-restart');
    // A fresh client mints a JWT from the restarted portal, signed with the same key.
    await sendOne(producerFor('dev', token2), 'dev-orders', 'fresh-after-restart');
  });
});
