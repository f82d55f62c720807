// The portal's compatibility acceptance test: the official quixstreams Application, configured
// with ONLY Quix__Sdk__Token and Quix__Portal__Api, creates a topic through the Portal API, gets
// broker access from the librdkafka config (OAUTHBEARER via the token endpoint), produces, and a
// second Application consumes every message back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPython } from '../test-support/python.ts';
import { ensurePythonVenv } from '../test-support/python-venv.ts';
import { loginAdmin, type Stack, startClientStack, streamingTokens } from '../test-support/stack.ts';

describe('quixstreams Application against Streamgate', { timeout: 900_000 }, () => {
  let stack: Stack;
  let env: Record<string, string>;

  before(async () => {
    await ensurePythonVenv();
    stack = await startClientStack();
    const { token1 } = await streamingTokens(stack, await loginAdmin(stack));
    env = { Quix__Sdk__Token: token1, Quix__Portal__Api: stack.portalUrl };
  });
  after(() => stack?.stop());

  it('produces with one Application and consumes everything back with another', async () => {
    const count = 200;
    const produced = await runPython('quix_kafka.py', ['produce-json', 'acceptance', String(count)], { env });
    assert.match(produced, new RegExp(`produced ${count}`));
    const consumed = await runPython(
      'quix_kafka.py',
      ['consume-json', 'acceptance', String(count), '120', 'acceptance-readers'],
      { env },
    );
    const values = JSON.parse(consumed.trim().split('\n').at(-1)!) as number[];
    assert.deepEqual(
      values,
      Array.from({ length: count }, (_, i) => i),
    );

    // The topic exists in the Portal under the workspace, with its Kafka id.
    const topics = await fetch(`${stack.portalUrl}/dev/topics/acceptance`, {
      headers: { authorization: `Bearer ${env.Quix__Sdk__Token}`, 'x-version': '2.0' },
    });
    assert.equal(topics.status, 200);
    assert.equal(((await topics.json()) as { id: string }).id, 'dev-acceptance');
  });
});
