// Issues 10 and 11, proof: schemathesis fuzzes every route of a live portal (with a real broker,
// so the topic routes reach Kafka) from its own OpenAPI document, once with a streaming token and
// once with a PAT, with every check it has (`--checks all`): no 5xx, every status code, content
// type, header and body the server answers is the one the document promises, schema-valid
// requests are accepted and invalid ones refused, a method a path does not take is a 405 with
// Allow, and a route documented as authenticated refuses a request without credentials. Where
// the API departs from a check on purpose, the exception is below with its reason.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureSchemathesis, type Status, schemathesisConfig } from '../../test-support/schemathesis.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';

const run = promisify(execFile);

/** Seconds of fuzzing per credential: the whole file stays within a few minutes. */
const fuzzSeconds = 50;

/** What a schema-valid request may answer besides schemathesis' default (2xx, 3xx, 401, 403, 404, 409, 429, 5xx). */
const acceptedStatuses: Status[] = ['2xx', '3xx', 401, 403, 404, 409, 429, '5xx'];

/**
 * The exceptions, each with why. Everything else runs every check as schemathesis defines it.
 * A refusal the schema cannot express (it depends on who asks or on the stored state) answers
 * 400 or 428 to a request that is schema-valid.
 */
const config = schemathesisConfig({
  // Refusals, like the default list: 413 (body over the size limit), 414 (a path parameter
  // longer than the router takes) and 428 (If-Match missing) are answered before any route
  // runs, or by the rule that needs the header, and are documented on the routes that give them.
  negativeDataRejected: [400, 401, 403, 404, 405, 406, 409, 413, 414, 415, 422, 428, 429, '5xx'],
  schemaValidButRefused: [
    {
      operation: 'POST /{workspaceId}/topics',
      statuses: [400],
      why: 'An existing name answers 400 "Topic with name similar to ... already exists", as the Quix Portal API does: its clients look for that text.',
    },
    {
      operationRegex: '^POST /workspaces/\\{workspaceId\\}/streaming-tokens/(rotate|rotations)$',
      statuses: [428],
      why: 'A rotation names the token pair it rotates in If-Match; without one it answers 428 (RFC 6585). The header is not a required parameter in the document because Fastify would answer its absence with 400.',
    },
    {
      path: '/users/{userId}',
      statuses: [400],
      why: 'An organisation Admin cannot delete, disable or demote themself, nor the last Admin: that depends on who asks, which a schema cannot say.',
    },
    {
      operation: 'PUT /workspaces/{workspaceId}/members/{userId}',
      statuses: [400],
      why: 'An organisation Admin is Admin in every workspace: a workspace role for one is refused, which depends on the stored user.',
    },
    {
      path: '/signing-keys/rotate',
      statuses: [400],
      why: 'graceSeconds goes with retirePrevious: true and is at most the longest lifetime of what the keys sign, which depends on the configuration.',
    },
  ],
  acceptedStatuses,
});

async function fuzz(
  st: string,
  configFile: string,
  portalUrl: string,
  bearer: string,
): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      st,
      [
        '--config-file',
        configFile,
        'run',
        `${portalUrl}/openapi.json`,
        '--checks',
        'all',
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
        timeout: (fuzzSeconds + 90) * 1000,
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

/** The failures section of schemathesis' report: what input caused which mismatch. */
function failures(output: string): string {
  const start = output.indexOf('FAILURES');
  return start === -1 ? output.slice(-4000) : output.slice(start, start + 12000);
}

describe('schema fuzzing of the live portal, every check', () => {
  let stack: Stack;
  let st: string;
  let pat: string;
  let streamingToken: string;
  const configDir = mkdtempSync(join(tmpdir(), 'streamgate-schemathesis-'));
  const configFile = join(configDir, 'schemathesis.toml');
  before(async () => {
    writeFileSync(configFile, config);
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
    rmSync(configDir, { recursive: true, force: true });
  });

  // The streaming token first: the PAT is an organisation Admin's and may delete the workspace.
  it('with a streaming token, the portal answers as its OpenAPI document says', async () => {
    const result = await fuzz(st, configFile, stack.portalUrl, streamingToken);
    assert.equal(result.code, 0, failures(result.output));
  });

  it("with an organisation Admin's PAT, the portal answers as its OpenAPI document says", async () => {
    const result = await fuzz(st, configFile, stack.portalUrl, pat);
    assert.equal(result.code, 0, failures(result.output));
  });
});
