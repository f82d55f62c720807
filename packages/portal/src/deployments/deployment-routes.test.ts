import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { waitFor } from '../../test-support/wait-for.ts';

/**
 * The deployments API over HTTP with the process runner on: what a Manager creates runs with
 * the platform's variables, secrets never come back out (responses, logs, audit), every bad
 * input is a 4xx that changes nothing, and start/stop/restart/logs do what they say.
 */
const ws = 'acme';
const secretValue = 'hunter2-very-secret-value';
const forever = ['node', '-e', "setInterval(() => console.log('tick', process.env.GREETING), 200)"];

describe('deployments API', () => {
  let h: Harness;
  let admin: Caller;
  let manager: Caller;
  let editor: Caller;
  let viewer: Caller;
  let token1: string;

  const call = (
    caller: Caller | Record<string, string>,
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
  ) =>
    h.inject({
      method,
      url,
      headers: 'headers' in caller ? (caller.headers as Record<string, string>) : caller,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
  const get = async (id: string) => (await call(admin, 'GET', `/workspaces/${ws}/deployments/${id}`)).json();
  const create = async (body: Record<string, unknown>, caller: Caller = manager) => {
    const response = await call(caller, 'POST', `/workspaces/${ws}/deployments`, body);
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  };

  before(async () => {
    h = await startHarness({
      env: {
        STREAMGATE_RUNNER: 'process',
        STREAMGATE_DEPLOYMENT_READY_SECONDS: '1',
        STREAMGATE_DEPLOYMENT_STOP_GRACE_SECONDS: '2',
      },
    });
    h.portal.start({ reconcile: false });
    await h.createWorkspace(ws);
    await h.createWorkspace('other');
    admin = await h.admin();
    manager = await h.userWithRole('Manager');
    editor = await h.userWithRole('Editor');
    viewer = await h.userWithRole('Viewer');
    token1 = (await h.streamingTokens(ws)).token1;
  });
  after(async () => {
    await h.close();
  });

  it('runs what a Manager creates with the platform variables and its own, and shows it Running', async () => {
    const created = await create({
      name: 'greeter',
      command: [
        'node',
        '-e',
        "for (const k of ['Quix__Sdk__Token','Quix__Portal__Api','Quix__Workspace__Id','Quix__Deployment__Id','Quix__Deployment__Name','GREETING','API_KEY','STREAMGATE_SECRET_KEY','STREAMGATE_RUNNER']) console.log(k + '=' + (process.env[k] ?? '<unset>')); setInterval(() => {}, 1000)",
      ],
      variables: { GREETING: 'hello', API_KEY: { value: secretValue, secret: true } },
    });
    assert.equal(created.status, 'Starting');
    assert.equal(created.tokenSlot, 1);
    assert.deepEqual(created.variables, {
      GREETING: { value: 'hello', secret: false },
      API_KEY: { secret: true },
    });
    const running = await waitFor('Running', async () => {
      const d = await get(created.deploymentId);
      return d.status === 'Running' && d;
    });
    assert.equal(running.replicasReady, 1);
    assert.deepEqual(running.runningTokenIds, [running.tokenId]);
    const logs = await waitFor('the variables in the log', async () => {
      const text = (
        await call(editor, 'GET', `/workspaces/${ws}/deployments/${created.deploymentId}/logs?tail=50`)
      ).body;
      return text.includes('STREAMGATE_RUNNER=') && text;
    });
    assert.match(logs, new RegExp(`Quix__Sdk__Token=${token1}\\n`));
    assert.match(logs, /Quix__Portal__Api=http:\/\/portal\.test\n/);
    assert.match(logs, new RegExp(`Quix__Workspace__Id=${ws}\\n`));
    assert.match(logs, new RegExp(`Quix__Deployment__Id=${created.deploymentId}\\n`));
    assert.match(logs, /Quix__Deployment__Name=greeter\n/);
    assert.match(logs, /GREETING=hello\n/);
    assert.match(logs, new RegExp(`API_KEY=${secretValue}\\n`), 'the service gets its secret');
    assert.match(logs, /STREAMGATE_SECRET_KEY=<unset>\n/, "the portal's own secrets never reach a service");
    assert.match(logs, /STREAMGATE_RUNNER=<unset>\n/);
  });

  it('never returns, logs or audits a secret value', async () => {
    const list = await call(viewer, 'GET', `/workspaces/${ws}/deployments`);
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(secretValue));
    const audit = await call(admin, 'GET', `/audit?workspaceId=${ws}&limit=100`);
    assert.ok(audit.body.includes('deployment.create'));
    assert.ok(!audit.body.includes(secretValue));
    assert.ok(!h.logs().includes(secretValue));
  });

  it('lets a streaming token read its own workspace deployments and nothing else', async () => {
    assert.equal((await call(bearer(token1), 'GET', `/workspaces/${ws}/deployments`)).statusCode, 200);
    assert.equal((await call(bearer(token1), 'GET', '/workspaces/other/deployments')).statusCode, 404);
    const refused = await call(bearer(token1), 'POST', `/workspaces/${ws}/deployments`, {
      name: 'x',
      command: ['true'],
    });
    assert.equal(refused.statusCode, 403);
  });

  it('changes apply at the next start; restart rolls it; a kept secret stays', async () => {
    const d = await create({
      name: 'editable',
      command: forever,
      variables: { GREETING: 'one', S: { value: 's1', secret: true } },
    });
    await waitFor('Running', async () => (await get(d.deploymentId)).status === 'Running');
    const updated = await call(manager, 'PUT', `/workspaces/${ws}/deployments/${d.deploymentId}`, {
      variables: { GREETING: 'two', S: { secret: true } },
    });
    assert.equal(updated.statusCode, 200, updated.body);
    assert.equal(updated.json().restartRequired, true);
    assert.deepEqual(updated.json().variables.S, { secret: true });
    const before = (await get(d.deploymentId)).restartCount;
    const restarted = await call(editor, 'POST', `/workspaces/${ws}/deployments/${d.deploymentId}/restart`);
    assert.equal(restarted.statusCode, 200);
    await waitFor('the new variables in use', async () => {
      const text = (await call(editor, 'GET', `/workspaces/${ws}/deployments/${d.deploymentId}/logs?tail=5`))
        .body;
      const now = await get(d.deploymentId);
      return text.includes('tick two') && now.status === 'Running' && !now.restartRequired;
    });
    assert.equal((await get(d.deploymentId)).restartCount, before, 'a restart asked for is not a crash');
  });

  it('stops (SIGTERM) and starts again; a Viewer may not', async () => {
    const d = await create({ name: 'stoppable', command: forever });
    await waitFor('Running', async () => (await get(d.deploymentId)).status === 'Running');
    assert.equal(
      (await call(viewer, 'POST', `/workspaces/${ws}/deployments/${d.deploymentId}/stop`)).statusCode,
      403,
    );
    const stopped = await call(editor, 'POST', `/workspaces/${ws}/deployments/${d.deploymentId}/stop`);
    assert.equal(stopped.json().desiredState, 'Stopped');
    await waitFor('Stopped', async () => (await get(d.deploymentId)).status === 'Stopped');
    await call(editor, 'POST', `/workspaces/${ws}/deployments/${d.deploymentId}/start`);
    await waitFor('Running again', async () => (await get(d.deploymentId)).status === 'Running');
  });

  it('restarts a crashing service with backoff and reports its last exit as Error', async () => {
    const d = await create({ name: 'crasher', command: ['node', '-e', 'process.exit(3)'] });
    const failing = await waitFor('Error', async () => {
      const now = await get(d.deploymentId);
      return now.status === 'Error' && now;
    });
    assert.equal(failing.lastExit.code, 3);
    assert.match(failing.statusDetail, /exited with code 3; restarting in \d+ s/);
    await waitFor('a second crash', async () => (await get(d.deploymentId)).restartCount >= 2);
    const completed = await create({ name: 'one-shot', command: ['node', '-e', "console.log('done')"] });
    await waitFor('Completed', async () => (await get(completed.deploymentId)).status === 'Completed');
    const missing = await create({ name: 'no-such-program', command: ['/nonexistent/program'] });
    const error = await waitFor('Error', async () => {
      const now = await get(missing.deploymentId);
      return now.status === 'Error' && now;
    });
    assert.match(error.statusDetail, /could not start: spawn \/nonexistent\/program ENOENT/);
  });

  it('streams the log with follow=true as the service writes', async () => {
    const d = await create({
      name: 'chatty',
      command: ['node', '-e', "let n = 0; setInterval(() => console.log('line ' + n++), 100)"],
    });
    await waitFor('Running', async () => (await get(d.deploymentId)).status === 'Running');
    const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const response = await fetch(
      `${address}/workspaces/${ws}/deployments/${d.deploymentId}/logs?tail=1&follow=true`,
      {
        headers: editor.headers,
        signal: abort.signal,
      },
    );
    assert.equal(response.status, 200);
    assert.match(String(response.headers.get('content-type')), /text\/plain/);
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/line \d+/g) ?? []).length < 10)
      text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    const numbers = (text.match(/line (\d+)/g) ?? []).map((line) => Number(line.slice(5)));
    for (let i = 1; i < numbers.length; i++)
      assert.equal(numbers[i], numbers[i - 1]! + 1, 'in order, nothing lost');
  });

  it('deletes (stopping it first), audited; another workspace cannot reach it', async () => {
    const d = await create({ name: 'doomed', command: forever });
    await waitFor('Running', async () => (await get(d.deploymentId)).status === 'Running');
    assert.equal(
      (await call(admin, 'GET', `/workspaces/other/deployments/${d.deploymentId}`)).statusCode,
      404,
    );
    assert.equal(
      (await call(editor, 'DELETE', `/workspaces/${ws}/deployments/${d.deploymentId}`)).statusCode,
      403,
    );
    const pids = (await h.portal.store.findDeployment(ws, d.deploymentId))!.observed.instances.map(
      (i) => i.pid,
    );
    assert.equal(
      (await call(manager, 'DELETE', `/workspaces/${ws}/deployments/${d.deploymentId}`)).statusCode,
      204,
    );
    for (const pid of pids) assert.throws(() => process.kill(pid, 0), 'its process is gone');
    assert.equal(
      (await call(admin, 'GET', `/workspaces/${ws}/deployments/${d.deploymentId}`)).statusCode,
      404,
    );
    const audit = (await call(admin, 'GET', `/audit?workspaceId=${ws}&action=deployment.delete`)).json();
    assert.equal(audit.entries[0].target, d.deploymentId);
  });

  describe('bad input: a clear 4xx, nothing changed', () => {
    const url = `/workspaces/${ws}/deployments`;
    const rows: {
      name: string;
      method?: 'POST' | 'PUT';
      body: unknown;
      status?: number;
      message?: RegExp;
    }[] = [
      {
        name: 'an unknown field',
        body: { name: 'a', command: ['x'], shell: 'bash' },
        message: /unknown property 'shell'/,
      },
      { name: 'no command', body: { name: 'a' }, message: /command/ },
      { name: 'a command that is a string', body: { name: 'a', command: 'node app.js' } },
      { name: 'an empty command', body: { name: 'a', command: [] } },
      { name: 'a command with an empty program', body: { name: 'a', command: [''] }, message: /program/ },
      { name: 'a command of numbers', body: { name: 'a', command: [1, 2] } },
      { name: 'a command with a NUL', body: { name: 'a', command: ['node', 'a\u0000b'] }, message: /NUL/ },
      { name: 'an upper-case name', body: { name: 'Orders', command: ['x'] } },
      { name: 'a name with a slash', body: { name: 'a/b', command: ['x'] } },
      { name: 'a 64-character name', body: { name: 'a'.repeat(64), command: ['x'] } },
      { name: 'a name that is a number', body: { name: 7, command: ['x'] } },
      { name: 'a bad variable name', body: { name: 'a', command: ['x'], variables: { 'BAD-NAME': 'v' } } },
      {
        name: 'a variable in the platform namespace',
        body: { name: 'a', command: ['x'], variables: { Quix__Sdk__Token: 'v' } },
        message: /Quix__/,
      },
      { name: 'a variable that is a number', body: { name: 'a', command: ['x'], variables: { N: 5 } } },
      {
        name: 'an oversized variable',
        body: { name: 'a', command: ['x'], variables: { BIG: 'x'.repeat(17 * 1024) } },
      },
      {
        name: 'a secret without a value to keep',
        body: { name: 'a', command: ['x'], variables: { S: { secret: true } } },
        message: /needs a value/,
      },
      {
        name: 'a relative working directory',
        body: { name: 'a', command: ['x'], workingDirectory: 'srv/app' },
        message: /absolute/,
      },
      {
        name: 'an image with a space',
        body: { name: 'a', command: ['x'], image: 'nginx latest' },
        message: /image must be/,
      },
      { name: 'zero replicas', body: { name: 'a', command: ['x'], replicas: 0 } },
      { name: 'replicas as a string', body: { name: 'a', command: ['x'], replicas: '2' } },
      { name: 'token slot 3', body: { name: 'a', command: ['x'], tokenSlot: 3 } },
      {
        name: 'a body over the size limit',
        body: {
          name: 'a',
          command: ['x'],
          variables: {
            A: 'x'.repeat(16000),
            B: 'x'.repeat(16000),
            C: 'x'.repeat(16000),
            D: 'x'.repeat(16000),
            E: 'x'.repeat(16000),
          },
        },
        status: 413,
      },
      {
        name: 'a taken name',
        body: { name: 'greeter', command: ['x'] },
        status: 409,
        message: /already exists/,
      },
    ];
    const snapshot = async () => JSON.stringify(await h.portal.store.listDeployments(null));
    for (const row of rows) {
      it(`${row.name} → ${row.status ?? 400}`, async () => {
        const before = await snapshot();
        const response = await call(manager, row.method ?? 'POST', url, row.body);
        assert.equal(response.statusCode, row.status ?? 400, response.body);
        const body = response.json();
        assert.deepEqual(Object.keys(body).sort(), ['code', 'correlationId', 'message']);
        if (row.message) assert.match(body.message, row.message);
        assert.doesNotMatch(response.body, /\n\s+at |node:internal|\.ts:\d+/);
        assert.equal(await snapshot(), before);
      });
    }
    it('an update with nothing in it, or of another workspace’s deployment → 400 / 404', async () => {
      const first = (await h.portal.store.listDeployments(ws))[0]!;
      assert.equal((await call(manager, 'PUT', `${url}/${first.deploymentId}`, {})).statusCode, 400);
      assert.equal(
        (await call(admin, 'PUT', `/workspaces/other/deployments/${first.deploymentId}`, { replicas: 2 }))
          .statusCode,
        404,
      );
      assert.equal((await call(editor, 'GET', `${url}/${first.deploymentId}/logs?tail=0`)).statusCode, 400);
      assert.equal((await call(editor, 'GET', `${url}/${first.deploymentId}/logs?tail=abc`)).statusCode, 400);
      assert.equal((await call(viewer, 'GET', `${url}/${first.deploymentId}/logs`)).statusCode, 403);
    });
  });
});
