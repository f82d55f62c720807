// Test stand-in for the portal's broker-token issuer: an ES256 key published as a JWKS on
// 127.0.0.1, and a signer for the JWTs that streaming clients present to Kafka (OAUTHBEARER).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSigner } from 'fast-jwt';

export interface TestJwks {
  url: string;
  issuer: string;
  audience: string;
  /** A JWT for `sub` signed with the published key (valid 10 minutes unless overridden). */
  sign(sub: string, overrides?: { aud?: string; iss?: string; expiresInMs?: number }): string;
  /** A JWT that looks right but is signed by a key the JWKS does not publish. */
  signWithUnknownKey(sub: string): string;
  close(): Promise<void>;
}

export async function startTestJwks(): Promise<TestJwks> {
  const published = newKey();
  const server = createServer((request, response) => {
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: [published.jwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const audience = 'kafka';

  const signer = (
    key: ReturnType<typeof newKey>,
    sub: string,
    overrides: Parameters<TestJwks['sign']>[1] = {},
  ) =>
    createSigner({
      key: key.pem,
      algorithm: 'ES256',
      kid: key.kid,
      iss: overrides.iss ?? issuer,
      aud: overrides.aud ?? audience,
      sub,
      expiresIn: overrides.expiresInMs ?? 600_000,
    })({});

  return {
    url: `${issuer}/.well-known/jwks.json`,
    issuer,
    audience,
    sign: (sub, overrides) => signer(published, sub, overrides),
    signWithUnknownKey: (sub) => signer(newKey(), sub),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

let keyCounter = 0;
function newKey(): { kid: string; pem: string; jwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  keyCounter += 1;
  const kid = `test-key-${process.pid}-${keyCounter}`;
  return {
    kid,
    pem: (privateKey as KeyObject).export({ format: 'pem', type: 'pkcs8' }).toString(),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' },
  };
}
