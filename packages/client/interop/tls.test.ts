// TLS end to end, as `./streamgate up --tls` runs the stack: the portal on HTTPS and the broker's
// client listener on SASL_SSL, both with certificates from a private CA, the broker fetching the
// portal's JWKS (and checking PLAIN logins) over HTTPS. The official quixstreams client and
// @streamgate/client, configured like deployments (Quix__Sdk__Token, an https Quix__Portal__Api
// and the CA file), produce and consume; clients that do not trust the CA get nothing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it, type TestContext } from 'node:test';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { Producer, saslOAuthBearer, stringSerializers } from '@platformatic/kafka';
import { runPython } from '../test-support/python.ts';
import { ensurePythonVenv } from '../test-support/python-venv.ts';
import { loginAdmin, type Stack, startClientStack, streamingTokens } from '../test-support/stack.ts';

const roundtrip = fileURLToPath(new URL('../test-support/tls-roundtrip.ts', import.meta.url));

/** Every error code in @platformatic/kafka's nested errors (AggregateError.errors, cause). */
function errorCodes(error: unknown, into = new Set<string>(), depth = 0): Set<string> {
  if (typeof error !== 'object' || error === null || depth > 12) return into;
  const node = error as { code?: unknown; errors?: unknown[]; cause?: unknown };
  if (typeof node.code === 'string') into.add(node.code);
  for (const inner of node.errors ?? []) errorCodes(inner, into, depth + 1);
  errorCodes(node.cause, into, depth + 1);
  return into;
}

/** @streamgate/client in its own process, with only the environment given (no inherited trust). */
function runClient(env: Record<string, string>): Promise<{ code: number; out: Record<string, unknown> }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [roundtrip],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, timeout: 150_000 },
      (error, stdout, stderr) => {
        const last = stdout.trim().split('\n').at(-1) ?? '';
        let out: Record<string, unknown>;
        try {
          out = JSON.parse(last) as Record<string, unknown>;
        } catch {
          out = { unparsed: `${stdout}\n${stderr}`.slice(-2000) };
        }
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out });
      },
    );
  });
}

describe('TLS end to end: HTTPS portal, SASL_SSL broker, private CA', { timeout: 900_000 }, () => {
  let stack: Stack;
  let token: string;
  let caPath: string;
  let caPem: string;

  before(async () => {
    await ensurePythonVenv();
    stack = await startClientStack({}, { tls: true });
    token = (await streamingTokens(stack, await loginAdmin(stack))).token1;
    caPath = stack.tls!.caCertPath;
    caPem = stack.tls!.caCertPem;
  });
  after(() => stack?.stop());

  it('@streamgate/client trusting the CA (NODE_EXTRA_CA_CERTS) produces and consumes over SASL_SSL', async () => {
    const { code, out } = await runClient({
      Quix__Sdk__Token: token,
      Quix__Portal__Api: stack.portalUrl,
      NODE_EXTRA_CA_CERTS: caPath,
      TOPIC: 'tls-ts',
      COUNT: '25',
    });
    assert.equal(code, 0, JSON.stringify(out));
    assert.deepEqual(
      out.consumed,
      Array.from({ length: 25 }, (_, i) => i),
    );
  });

  it('@streamgate/client that does not trust the CA is refused before anything is created', async () => {
    const started = Date.now();
    const { code, out } = await runClient({
      Quix__Sdk__Token: token,
      Quix__Portal__Api: stack.portalUrl,
      TOPIC: 'tls-untrusted',
      COUNT: '1',
    });
    assert.equal(code, 1);
    const error = out.error as { code: string; message: string };
    assert.equal(error.code, 'CLIENT_PORTAL_TLS', JSON.stringify(out));
    assert.match(error.message, /not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*NODE_EXTRA_CA_CERTS/);
    // Not retried as if the portal were down.
    assert.ok(Date.now() - started < 30_000);
    const topic = await fetch(`${stack.portalUrl}/dev/topics/tls-untrusted`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(topic.status, 404);
  });

  it('the broker speaks TLS only, verified with the CA, for OAUTHBEARER and for PLAIN checked over HTTPS', async (t) => {
    const topic = await fetch(`${stack.portalUrl}/dev/topics`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'tls-raw' }),
    });
    assert.ok(topic.status === 200 || topic.status === 201, `create topic: ${topic.status}`);
    const minted = await fetch(`${stack.portalUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`dev:${token}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const jwt = ((await minted.json()) as { access_token: string }).access_token;
    const workspace = (await (
      await fetch(`${stack.portalUrl}/workspaces/dev`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { broker: { username: string; password: string } };

    const oauth = {
      mechanism: 'OAUTHBEARER' as const,
      token: async () => jwt,
      authBytesValidator: saslOAuthBearer.jwtValidateAuthenticationBytes,
    };
    const plain = {
      mechanism: 'PLAIN' as const,
      username: workspace.broker.username,
      password: workspace.broker.password,
    };
    const send = (tc: TestContext, options: Record<string, unknown>) => {
      const producer = new Producer({
        clientId: 'tls-it',
        bootstrapBrokers: [stack.kafkaBootstrap!],
        serializers: stringSerializers,
        connectTimeout: 3000,
        retries: 0,
        ...options,
      });
      tc.after(() => producer.close(true).catch(() => {}));
      return producer.send({ messages: [{ topic: 'dev-tls-raw', value: 'x' }], acks: -1 });
    };

    // The public roots only (this test process itself trusts the CA: stack-tls.ts): the handshake
    // fails, nothing is sent.
    await assert.rejects(send(t, { sasl: oauth, tls: { ca: [...rootCertificates] } }), (error) => {
      assert.ok(errorCodes(error).has('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), [...errorCodes(error)].join());
      return true;
    });
    // No TLS at all: the listener does not speak SASL in the clear.
    await assert.rejects(send(t, { sasl: oauth }));
    // Trusting the CA: OAUTHBEARER, and PLAIN (which the broker checks at the portal over HTTPS).
    await send(t, { sasl: oauth, tls: { ca: caPem } });
    await send(t, { sasl: plain, tls: { ca: caPem } });
  });

  it('quixstreams produces and consumes over SASL_SSL', async () => {
    // Nothing but a deployment's environment: SSL_CERT_FILE is the trust in the CA (for httpx);
    // the broker's CA and a PLAIN login come from broker/librdkafka.
    const env = { Quix__Sdk__Token: token, Quix__Portal__Api: stack.portalUrl, SSL_CERT_FILE: caPath };
    const produced = await runPython('quix_tls.py', ['produce-json', 'tls-py', '50'], { env });
    assert.match(produced, /produced 50/);
    const consumed = await runPython('quix_tls.py', ['consume-json', 'tls-py', '50', '120', 'tls-readers'], {
      env,
    });
    assert.deepEqual(
      JSON.parse(consumed.trim().split('\n').at(-1)!),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('librdkafka with the portal’s configuration but without its CA delivers nothing', async () => {
    const env = { Quix__Sdk__Token: token, Quix__Portal__Api: stack.portalUrl, SSL_CERT_FILE: caPath };
    const out = await runPython('quix_tls.py', ['produce-untrusted', 'tls-py'], { env, timeoutMs: 120_000 });
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as { delivered: number; errors: string[] };
    assert.equal(result.delivered, 0);
    assert.match(result.errors.join('\n'), /certificate verify failed|SSL handshake failed/i);
  });
});
