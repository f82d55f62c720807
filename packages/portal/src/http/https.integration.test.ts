// The portal serving HTTPS itself, as `./streamgate serve --tls` runs it: a real portal process with
// a certificate from the data dir's private CA, and the CA handed to clients as the Quix Portal
// API hands a broker's CA (broker/librdkafka `ssl.ca.cert`, the /certificates zip).
import assert from 'node:assert/strict';
import { get } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { rootCertificates } from 'node:tls';
import { unzipSync } from 'fflate';
import { bearer, login, readPair, send } from '../../test-support/portal-client.ts';
import { type Stack, startStack } from '../../test-support/stack.ts';

/** The status of a GET that trusts only `ca` (the public roots by default); the error code if the handshake fails. */
function getWith(url: string, ca: readonly string[] = rootCertificates): Promise<number | string> {
  return new Promise((resolve) => {
    const request = get(url, { ca: [...ca], timeout: 5000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('the portal on HTTPS with a private CA', { timeout: 120_000 }, () => {
  let stack: Stack;
  let token: string;

  before(async () => {
    // A broker address without admin credentials: clients are told where it is, the portal does
    // not connect to it.
    stack = await startStack({
      kafka: false,
      tls: true,
      env: { STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:19093' },
    });
    const session = await login(stack.portalUrl, stack.adminEmail, stack.adminPassword);
    token = (await readPair(stack.portalUrl, session, 'dev')).token1.value;
  });
  after(() => stack?.stop());

  it('serves HTTPS under the CA, and a client that does not trust the CA is refused', async () => {
    assert.match(stack.portalUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const jwks = `${stack.portalUrl}/.well-known/jwks.json`;
    assert.equal(await getWith(jwks, [stack.tls!.caCertPem]), 200);
    assert.equal(await getWith(jwks.replace('127.0.0.1', 'localhost'), [stack.tls!.caCertPem]), 200);
    assert.equal(await getWith(jwks), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    // Plain HTTP on the same port gets no answer.
    await assert.rejects(fetch(jwks.replace('https:', 'http:'), { signal: AbortSignal.timeout(5000) }));
  });

  it('marks the session cookie Secure', async () => {
    const response = await fetch(`${stack.portalUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
    });
    assert.equal(response.status, 200);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('sg_session='));
    assert.ok(cookie, 'a session cookie');
    assert.match(cookie, /;\s*Secure(;|$)/i);
    assert.match(cookie, /;\s*HttpOnly(;|$)/i);
  });

  it('gives clients the CA in broker/librdkafka and /certificates, with a PLAIN login over TLS', async () => {
    const config = await send(stack.portalUrl, 'GET', '/workspaces/dev/broker/librdkafka', {
      headers: bearer(token),
    });
    assert.equal(config.status, 200);
    assert.equal(config.body['security.protocol'], 'SASL_SSL');
    // Over TLS: the token's own principal and the token, so librdkafka needs no HTTPS call of its own.
    assert.equal(config.body['sasl.mechanism'], 'PLAIN');
    assert.match(config.body['sasl.username'], /^sgt-/);
    assert.equal(config.body['sasl.password'], token);
    assert.equal(config.body['sasl.oauthbearer.token.endpoint.url'], undefined);
    assert.equal(Buffer.from(config.body['ssl.ca.cert'], 'base64').toString(), stack.tls!.caCertPem);

    const zip = await fetch(`${stack.portalUrl}/workspaces/dev/certificates`, {
      headers: bearer(token),
    });
    assert.equal(zip.status, 200);
    const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    assert.deepEqual(Object.keys(entries), ['ca.cert']);
    assert.equal(new TextDecoder().decode(entries['ca.cert']), stack.tls!.caCertPem);

    const workspace = await send(stack.portalUrl, 'GET', '/workspaces/dev', { headers: bearer(token) });
    assert.equal(workspace.body.broker.securityMode, 'SaslSsl');
    assert.equal(workspace.body.broker.hasCertificate, true);
  });
});
