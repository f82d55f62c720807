import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { inspect } from 'node:util';
import { Producer, saslOAuthBearer, stringSerializers } from '@platformatic/kafka';
import { QuixStreamingClient, TokenRevokedError } from '@streamgate/client';
import { ensurePythonVenv } from '../../../client/test-support/python-venv.ts';
import {
  type AdminApi,
  adminApi,
  allAcknowledgedRead,
  byProducer,
  type DeploymentView,
  deploymentProducing,
  examples,
  longestSilenceMs,
  readSequence,
  runEnded,
  type StoppedProducer,
  serviceEvents,
  startRunnerStack,
  step,
  stopAllDeployments,
  stopDeployment,
  stoppedProducers,
  waitFor,
} from '../../test-support/rotation-run-harness.ts';
import type { Stack } from '../../test-support/stack.ts';

/**
 * Rotation runs end to end: a real portal running the example services of examples/ as
 * deployments (process runner, 10 s broker JWTs), a real Kafka broker, the official Python
 * quixstreams client as one of the services. Correctness is asserted; durations are printed.
 */
describe('rotation runs with real deployments (real Kafka, quixstreams)', { timeout: 600_000 }, () => {
  let stack: Stack;
  let api: AdminApi;
  let python: string;
  const closers: (() => Promise<unknown>)[] = [];

  before(async () => {
    python = await ensurePythonVenv();
    stack = await startRunnerStack();
    api = await adminApi(stack);
  });
  after(async () => {
    for (const close of closers.reverse()) await Promise.race([close().catch(() => {}), sleep(5000)]);
    if (api) await stopAllDeployments(api, ['easy', 'zero', 'outside']);
    await stack?.stop();
  });

  const producerEvents = (log: string) => serviceEvents(log).filter((e) => e.event === 'producing');
  const producersSoFar = async (ws: string, deploymentId: string) =>
    new Set(producerEvents(await api.logs(ws, deploymentId)).map((e) => e.producer as string));
  const problems = (log: string) =>
    log
      .split('\n')
      .filter((line) => /delivery failed|client error|consumer error|^gap:|close failed/.test(line));

  /** What every stopped producer says about itself, checked: acknowledgements are a prefix of its sequence. */
  const assertAcknowledgedPrefix = (stopped: readonly StoppedProducer[]) => {
    for (const p of stopped) {
      assert.ok(p.acked > 0, `${p.producer} had something acknowledged: ${JSON.stringify(p)}`);
      assert.equal(p.acked, p.lastAcked + 1, `${p.producer}: no acknowledged seq after a lost one`);
    }
  };

  /** A broker JWT straight from the token endpoint, as librdkafka asks for it. */
  const mint = async (ws: string, token: string) => {
    const response = await fetch(`${stack.portalUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${ws}:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token?: string; error?: string };
    return { status: response.status, jwt: body.access_token ?? null, error: body.error ?? null };
  };

  const workspaceStatus = async (ws: string, token: string, userAgent = 'rotation-runs-test') =>
    (
      await fetch(`${stack.portalUrl}/workspaces/${ws}`, {
        headers: { authorization: `Bearer ${token}`, 'x-version': '2.0', 'user-agent': userAgent },
      })
    ).status;

  it('rotate, then restart: a @streamgate/client producer and a quixstreams Application come back on the new Token 1, and every acknowledged message reads back', async () => {
    const ws = 'easy';
    const topic = 'sequence';
    await api.createWorkspace(ws);
    await api.createTopic(ws, topic);
    const before = await api.tokens(ws);
    const variables = { TOPIC: topic, INTERVAL_MS: '50' };
    const deployments = [
      await api.createDeployment(ws, { name: 'node-producer', command: examples.nodeProducer(), variables }),
      await api.createDeployment(ws, {
        name: 'python-producer',
        command: examples.pythonProducer(python),
        workingDirectory: examples.scratchDir(),
        variables: { ...variables, PYTHONUNBUFFERED: '1' },
      }),
    ];
    // The car-telemetry example does what most services do on a revoked token: it exits 1. Its
    // replacement is already starting then, and the run must wait for that, not count a crash.
    const cars = await api.createDeployment(ws, {
      name: 'car-telemetry',
      command: examples.carTelemetry(),
      variables: { TOPIC: 'cars', CARS: '2' },
    });
    const firstProducers = new Set<string>();
    await waitFor('car-telemetry to run', async () => {
      const d = await api.deployment(ws, cars.deploymentId);
      return d.status === 'Running' && /producing 2 streams/.test(await api.logs(ws, cars.deploymentId))
        ? d
        : undefined;
    });
    for (const d of deployments) {
      const view = await deploymentProducing(api, ws, d.deploymentId, { tokenId: before.token1.id });
      assert.equal(view.tokenSlot, 1);
      for (const id of await producersSoFar(ws, d.deploymentId)) firstProducers.add(id);
    }
    await sleep(1000);

    const started = await api.startRotation(ws, { mode: 'restart-deployments' });
    assert.equal(started.status, 'running');
    const run = await runEnded(api, ws, started.rotationId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run, null, 2));
    assert.equal(run.brokerCutoff, 'done');
    assert.deepEqual(
      run.steps.map((s) => [s.name, s.state]),
      [
        ['rotate', 'done'],
        ['restart-deployments', 'done'],
      ],
    );
    const after = await api.tokens(ws);
    assert.equal(after.token1.id, before.token2.id, 'Token 2 took Token 1’s place');
    assert.equal(await workspaceStatus(ws, before.token1.value), 401, 'the old Token 1 is refused');
    const restarted = step(run, 'restart-deployments').deployments;
    assert.deepEqual(restarted.map((d) => d.name).sort(), [
      'car-telemetry',
      'node-producer',
      'python-producer',
    ]);
    for (const d of restarted) {
      assert.equal(d.state, 'done');
      assert.equal(typeof d.downtimeMs, 'number', `${d.name} has a measured downtime`);
    }

    // Both come back on the new Token 1 (the old Token 2) and produce again, from new instances.
    const views: DeploymentView[] = [];
    for (const d of deployments) {
      const view = await deploymentProducing(api, ws, d.deploymentId, {
        tokenId: after.token1.id,
        afterProducers: firstProducers,
      });
      assert.equal(view.tokenSlot, 1);
      assert.deepEqual(view.runningTokenIds, [after.token1.id]);
      assert.equal(view.restartRequired, false);
      views.push(view);
    }
    const carsAfter = await api.deployment(ws, cars.deploymentId);
    assert.equal(carsAfter.status, 'Running', JSON.stringify(carsAfter));
    assert.equal(carsAfter.tokenSlot, 1);
    assert.deepEqual(carsAfter.runningTokenIds, [after.token1.id]);
    await sleep(1000);
    const stopRequested = Date.now();
    const logs: string[] = [];
    for (const d of deployments) logs.push(await stopDeployment(api, ws, d.deploymentId));
    const stopped = logs.flatMap(stoppedProducers);
    // Per deployment, the instance on the old Token 1 and the one on the new Token 1.
    for (const [i, d] of deployments.entries()) {
      const mine = stoppedProducers(logs[i]!);
      assert.equal(mine.length, 2, `${d.name}: two instances stopped: ${JSON.stringify(mine)}`);
      const newer = mine.find((p) => !firstProducers.has(p.producer))!;
      assert.equal(newer.failed, 0, `${d.name}: the instance on the new Token 1 lost nothing`);
    }
    assertAcknowledgedPrefix(stopped);

    const messages = await readSequence(stack, ws, after.token1.value, topic, (m) =>
      allAcknowledgedRead(stopped, m),
    );
    assert.ok(allAcknowledgedRead(stopped, messages), 'every acknowledged message was read back');

    const window = { from: Date.parse(run.createdAt) - 2000, to: stopRequested - 500 };
    const rows = deployments.map((d) => ({
      deployment: d.name,
      'reported downtime (ms)': restarted.find((r) => r.deploymentId === d.deploymentId)!.downtimeMs,
      'longest silence in the sequence (ms)': longestSilenceMs(messages, `${d.name}-0/`, window),
      'failed deliveries (old instance)': stoppedProducers(logs[deployments.indexOf(d)]!).find((p) =>
        firstProducers.has(p.producer),
      )?.failed,
    }));
    rows.push({
      deployment: 'car-telemetry (exits 1 on the revoked token)',
      'reported downtime (ms)': restarted.find((r) => r.name === 'car-telemetry')!.downtimeMs,
      'longest silence in the sequence (ms)': Number.NaN,
      'failed deliveries (old instance)': undefined,
    });
    console.log(`rotate, then restart: run took ${Date.parse(run.endedAt!) - Date.parse(run.createdAt)} ms`);
    console.table(rows);
  });

  it('zero downtime: a producer and a consumer move to Token 2 with no delivery error and no gap; the old Token 1 is refused by portal and broker', async () => {
    const ws = 'zero';
    const topic = 'sequence';
    await api.createWorkspace(ws);
    await api.createTopic(ws, topic);
    const before = await api.tokens(ws);
    const producer = await api.createDeployment(ws, {
      name: 'producer',
      command: examples.nodeProducer(),
      variables: { TOPIC: topic, INTERVAL_MS: '50' },
    });
    const consumer = await api.createDeployment(ws, {
      name: 'consumer',
      command: examples.nodeConsumer(),
      variables: { TOPIC: topic, CONSUMER_GROUP: 'readers' },
    });
    await deploymentProducing(api, ws, producer.deploymentId, { tokenId: before.token1.id });
    await waitFor('the consumer to receive', async () =>
      serviceEvents(await api.logs(ws, consumer.deploymentId)).some(
        (e) => e.event === 'progress' && (e.received as number) > 0,
      )
        ? true
        : undefined,
    );

    const started = await api.startRotation(ws, { mode: 'zero-downtime', quietSeconds: 3 });
    // Once the deployments are off Token 1, two outside clients take it up while the run waits:
    // a broker JWT minted now, on an open connection, and a @streamgate/client producer.
    await waitFor('the run to wait for Token 1 to be quiet', async () => {
      const run = await api.run(ws, started.rotationId);
      return step(run, 'wait-quiet').state === 'running' ? run : undefined;
    });
    const minted = await mint(ws, before.token1.value);
    assert.equal(minted.status, 200, 'Token 1 still mints while the run waits');
    const jwtProducer = new Producer({
      clientId: 'minted-before-the-rotation',
      bootstrapBrokers: [stack.kafkaBootstrap!],
      serializers: stringSerializers,
      sasl: {
        mechanism: 'OAUTHBEARER',
        token: async () => minted.jwt!,
        authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
      },
      retries: 1,
      retryDelay: 200,
    });
    closers.push(() => jwtProducer.close(true));
    const send = (value: string) =>
      jwtProducer.send({ messages: [{ topic: `${ws}-${topic}`, key: 'outside', value }] });
    await send('before the cutoff');
    const oldClient = new QuixStreamingClient(before.token1.value, {
      portalApi: stack.portalUrl,
      workspaceId: ws,
      env: {},
    });
    const oldClientErrors: Error[] = [];
    oldClient.on('error', (error) => oldClientErrors.push(error));
    closers.push(() => oldClient.close());
    const oldProducer = await oldClient.getRawTopicProducer(topic);
    oldProducer.on('error', (error) => oldClientErrors.push(error));
    await oldProducer.publish({ value: 'outside client on Token 1, before the cutoff' });

    // The JWT is checked right after the cutoff, long before it expires: what refuses it is the ACLs.
    const cutOff = await waitFor(
      'the rotation and the broker cutoff',
      async () => {
        const run = await api.run(ws, started.rotationId);
        return run.brokerCutoff === 'done' || run.status !== 'running' ? run : undefined;
      },
      120_000,
    );
    assert.equal(cutOff.brokerCutoff, 'done', JSON.stringify(cutOff, null, 2));
    const refused = await send('after the cutoff').then(
      () => null,
      (error: unknown) => error,
    );
    assert.ok(refused, 'a JWT minted before the rotation is refused once its ACLs are gone');
    assert.match(inspect(refused, { depth: 6 }), /authori[sz]/i);

    const run = await runEnded(api, ws, started.rotationId);
    assert.equal(run.status, 'succeeded', JSON.stringify(run, null, 2));
    assert.deepEqual(
      run.steps.map((s) => [s.name, s.state]),
      [
        ['move-deployments', 'done'],
        ['wait-quiet', 'done'],
        ['rotate', 'done'],
        ['restart-deployments', 'skipped'],
      ],
    );
    const moved = step(run, 'move-deployments').deployments;
    assert.deepEqual(moved.map((d) => d.name).sort(), ['consumer', 'producer']);
    assert.ok(moved.every((d) => d.state === 'done' && d.downtimeMs === 0));

    // The old Token 1 is refused by the portal, by the token endpoint, and so by every client.
    const after = await api.tokens(ws);
    assert.equal(after.token1.id, before.token2.id);
    assert.equal(await workspaceStatus(ws, before.token1.value), 401);
    const mintAfter = await mint(ws, before.token1.value);
    assert.equal(mintAfter.status, 401);
    assert.equal(mintAfter.error, 'invalid_client');
    await assert.rejects(
      new QuixStreamingClient(before.token1.value, {
        portalApi: stack.portalUrl,
        workspaceId: ws,
        env: {},
      }).getRawTopicProducer(topic),
      (error: Error & { status?: number }) => error.status === 401 || error instanceof TokenRevokedError,
    );
    // The outside @streamgate/client producer that held Token 1 fails loudly.
    const lastPublish = await waitFor(
      'the old Token 1 client to be refused',
      async () => {
        try {
          await oldProducer.publish({ value: 'after the cutoff' });
          return undefined;
        } catch (error) {
          return error as Error;
        }
      },
      30_000,
    );
    assert.ok(lastPublish instanceof TokenRevokedError, inspect(lastPublish));

    // The deployments run on the new Token 1, and lost nothing on the way.
    for (const d of [producer, consumer]) {
      const view = await api.deployment(ws, d.deploymentId);
      assert.equal(view.tokenSlot, 1);
      assert.deepEqual(view.runningTokenIds, [after.token1.id]);
      assert.equal(view.status, 'Running');
    }
    await sleep(2000);
    const stopRequested = Date.now();
    const producerLog = await stopDeployment(api, ws, producer.deploymentId);
    const consumerLog = await stopDeployment(api, ws, consumer.deploymentId);
    assert.deepEqual(problems(producerLog), [], 'no delivery error');
    assert.deepEqual(problems(consumerLog), [], 'no consumer error and no gap seen');
    const stopped = stoppedProducers(producerLog);
    assert.equal(stopped.length, 2, 'the instance on Token 1 and the one on Token 2');
    for (const p of stopped) assert.equal(p.failed, 0, JSON.stringify(p));
    assertAcknowledgedPrefix(stopped);
    const consumers = serviceEvents(consumerLog).filter((e) => e.event === 'stopped');
    assert.equal(consumers.length, 2);
    for (const c of consumers) assert.equal(c.gaps, 0);

    const messages = await readSequence(stack, ws, after.token1.value, topic, (m) =>
      allAcknowledgedRead(stopped, m),
    );
    assert.ok(allAcknowledgedRead(stopped, messages), 'every acknowledged message was read back');
    for (const [id, seq] of byProducer(messages))
      assert.deepEqual(seq.missing, [], `no gap in the sequence of ${id}`);
    const window = { from: Date.parse(run.createdAt) - 2000, to: stopRequested - 500 };
    console.log(
      `zero downtime: run took ${Date.parse(run.endedAt!) - Date.parse(run.createdAt)} ms; ` +
        `longest silence in the producer's sequence ${longestSilenceMs(messages, 'producer-0/', window)} ms ` +
        `(one message every 50 ms); wait-quiet ${Date.parse(step(run, 'wait-quiet').endedAt!) - Date.parse(step(run, 'wait-quiet').startedAt!)} ms`,
    );
  });

  it('an outside client on Token 1 makes the run wait and shows in it; force goes on; cancel leaves everything working', async () => {
    const ws = 'outside';
    const topic = 'sequence';
    const userAgent = 'outside-client/1.0 (rotation-runs test)';
    await api.createWorkspace(ws);
    await api.createTopic(ws, topic);
    const first = await api.tokens(ws);
    const producer = await api.createDeployment(ws, {
      name: 'producer',
      command: examples.nodeProducer(),
      variables: { TOPIC: topic, INTERVAL_MS: '50' },
    });
    await deploymentProducing(api, ws, producer.deploymentId, { tokenId: first.token1.id });

    // The outside client: GET /workspaces/{ws} with whatever `outside.token` is, every 300 ms.
    const outside = {
      token: first.token1.value,
      statuses: [] as { at: number; status: number }[],
      stop: false,
    };
    const loop = (async () => {
      while (!outside.stop) {
        outside.statuses.push({
          at: Date.now(),
          status: await workspaceStatus(ws, outside.token, userAgent),
        });
        await sleep(300);
      }
    })();
    closers.push(async () => {
      outside.stop = true;
      await loop;
    });
    const waitingFor = (ws: string, rotationId: string) =>
      waitFor('the run to wait for the outside client', async () => {
        const run = await api.run(ws, rotationId);
        const wait = step(run, 'wait-quiet');
        return wait.state === 'running' && wait.clients.some((c) => c.userAgent === userAgent)
          ? run
          : undefined;
      });

    // 1. It waits, lists the client, and goes on when forced.
    const forcedRun = await api.startRotation(ws, { mode: 'zero-downtime', quietSeconds: 2 });
    const waiting = await waitingFor(ws, forcedRun.rotationId);
    const client = step(waiting, 'wait-quiet').clients.find((c) => c.userAgent === userAgent)!;
    assert.equal(client.deploymentId, null, 'an outside client, not a deployment');
    assert.equal(step(waiting, 'move-deployments').state, 'done');
    const plan = await api.ok<{ outsideClients: { userAgent: string }[]; verdict: string }>(
      'GET',
      `/workspaces/${ws}/streaming-tokens/rotation-plan`,
    );
    assert.equal(plan.verdict, 'in-use');
    assert.ok(plan.outsideClients.some((c) => c.userAgent === userAgent));
    await sleep(5000); // well past quietSeconds: still waiting, nothing rotated
    const stillWaiting = await api.run(ws, forcedRun.rotationId);
    assert.equal(stillWaiting.status, 'running');
    assert.equal(step(stillWaiting, 'wait-quiet').state, 'running');
    assert.equal(step(stillWaiting, 'rotate').state, 'pending');
    assert.equal(await workspaceStatus(ws, first.token1.value), 200);

    const forcedAt = Date.now();
    const forced = await api.ok<{ force: boolean }>(
      'POST',
      `/workspaces/${ws}/streaming-tokens/rotations/${forcedRun.rotationId}/force`,
    );
    assert.equal(forced.force, true);
    const forcedEnd = await runEnded(api, ws, forcedRun.rotationId);
    assert.equal(forcedEnd.status, 'succeeded', JSON.stringify(forcedEnd, null, 2));
    assert.match(step(forcedEnd, 'wait-quiet').detail ?? '', /forced/);
    assert.equal(step(forcedEnd, 'rotate').state, 'done');
    await waitFor('the outside client to be refused', async () =>
      outside.statuses.some((s) => s.at > forcedAt && s.status === 401) ? true : undefined,
    );
    const second = await api.tokens(ws);
    assert.equal(second.token1.id, first.token2.id);
    const view = await api.deployment(ws, producer.deploymentId);
    assert.equal(view.tokenSlot, 1);
    assert.deepEqual(view.runningTokenIds, [second.token1.id]);

    // 2. A run cancelled while it waits leaves both tokens valid and the deployment running.
    outside.token = second.token1.value;
    const producersBefore = await producersSoFar(ws, producer.deploymentId);
    const cancelledRun = await api.startRotation(ws, { mode: 'zero-downtime', quietSeconds: 2 });
    await waitingFor(ws, cancelledRun.rotationId);
    const cancelledAt = Date.now();
    const cancelled = await api.call<{ status: string }>(
      'POST',
      `/workspaces/${ws}/streaming-tokens/rotations/${cancelledRun.rotationId}/cancel`,
    );
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, 'cancelled');
    const again = await api.call(
      'POST',
      `/workspaces/${ws}/streaming-tokens/rotations/${cancelledRun.rotationId}/cancel`,
    );
    assert.equal(again.status, 409);
    await sleep(3000); // the executor's next ticks must not rotate a cancelled run
    const ended = await api.run(ws, cancelledRun.rotationId);
    assert.equal(ended.status, 'cancelled');
    assert.equal(step(ended, 'rotate').state, 'skipped');

    const third = await api.tokens(ws);
    assert.equal(third.etag, second.etag, 'the token pair is unchanged');
    for (const token of [third.token1, third.token2]) {
      assert.equal(await workspaceStatus(ws, token.value), 200);
      assert.equal((await mint(ws, token.value)).status, 200);
    }
    assert.ok(
      outside.statuses.filter((s) => s.at > cancelledAt).every((s) => s.status === 200),
      'the outside client was never refused',
    );
    // The deployment was moved to Token 2 before the cancel, and stays there, running.
    const moved = await deploymentProducing(api, ws, producer.deploymentId, {
      tokenId: third.token2.id,
      afterProducers: producersBefore,
    });
    assert.equal(moved.tokenSlot, 2);
    outside.stop = true;
    await loop;

    const log = await stopDeployment(api, ws, producer.deploymentId);
    // The forced run cut Token 1 only after the deployment had left it: no instance lost anything.
    assert.deepEqual(problems(log), []);
    const stopped = stoppedProducers(log);
    assert.equal(stopped.length, 3, 'the first instance and one per move');
    assertAcknowledgedPrefix(stopped);
    const messages = await readSequence(stack, ws, third.token1.value, topic, (m) =>
      allAcknowledgedRead(stopped, m),
    );
    assert.ok(allAcknowledgedRead(stopped, messages));
    for (const [id, seq] of byProducer(messages)) assert.deepEqual(seq.missing, [], `no gap in ${id}`);
    console.log(
      `outside client: the run waited ${forcedAt - Date.parse(step(waiting, 'wait-quiet').startedAt!)} ms until forced; ` +
        `forced run ended ${Date.parse(forcedEnd.endedAt!) - forcedAt} ms after the force`,
    );
  });
});
