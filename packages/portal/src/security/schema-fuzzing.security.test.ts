// Issue 10, proof: schemathesis fuzzes every route of a live portal (with a real broker, so the
// topic routes reach Kafka) from its own OpenAPI document, once with a streaming token and once
// with a PAT. Any 5xx fails the test: bad input must be a 4xx that changes nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureSchemathesis } from '../../test-support/schemathesis.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';

const run = promisify(execFile);

/** Seconds of fuzzing per credential: the whole file stays within a couple of minutes. */
const fuzzSeconds = 45;

async function fuzz(
  st: string,
  portalUrl: string,
  bearer: string,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      st,
      [
        'run',
        `${portalUrl}/openapi.json`,
        '--checks',
        'not_a_server_error',
        '--header',
        `Authorization: Bearer ${bearer}`,
        '--max-time',
        String(fuzzSeconds),
        '--workers',
        '2',
        '--seed',
        '20261129',
        '--no-color',
      ],
      {
        // schemathesis keeps a cache (.schemathesis/) in its working directory: not in the repo.
        cwd: tmpdir(),
        timeout: (fuzzSeconds + 60) * 1000,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1' },
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout}${failed.stderr}`,
    };
  }
}

/** The failures section of schemathesis' report: what input caused which 5xx. */
function failures(output: string): string {
  const start = output.indexOf('FAILURES');
  return start === -1 ? output.slice(-4000) : output.slice(start, start + 8000);
}

describe('schema fuzzing of the live portal', () => {
  let stack: Stack;
  let st: string;
  let pat: string;
  let streamingToken: string;
  before(async () => {
    st = await ensureSchemathesis();
    stack = await startStack();
    const login = await fetch(`${stack.portalUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const session = { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };
    const tokens = (await (
      await fetch(`${stack.portalUrl}/workspaces/dev/streaming-tokens`, { headers: session })
    ).json()) as { token1: { value: string } };
    streamingToken = tokens.token1.value;
    const created = await fetch(`${stack.portalUrl}/profile/tokens`, {
      method: 'POST',
      headers: { ...session, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'fuzz', expiresAt: new Date(Date.now() + 86_400_000).toISOString() }),
    });
    pat = ((await created.json()) as { token: string }).token;
  });
  after(async () => {
    await stack?.stop();
  });

  // The streaming token first: the PAT is an organisation Admin's and may delete the workspace.
  it('malformed requests with a streaming token never make the portal fail (no 5xx)', async () => {
    const result = await fuzz(st, stack.portalUrl, streamingToken);
    assert.equal(result.code, 0, failures(result.output));
  });

  it("malformed requests with an organisation Admin's PAT never make the portal fail (no 5xx)", async () => {
    const result = await fuzz(st, stack.portalUrl, pat);
    assert.equal(result.code, 0, failures(result.output));
  });
});
