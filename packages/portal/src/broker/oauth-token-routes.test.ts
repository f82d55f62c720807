import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';
import { generateStreamingToken } from '../tokens/streaming-token-format.ts';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const form = 'application/x-www-form-urlencoded';

function decodeJwt(jwt: string) {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** An RFC 6749 §5.2 error: the status, the error code, the headers every such answer carries. */
function assertOAuthError(
  response: LightMyRequestResponse,
  status: number,
  error: string,
  description?: RegExp,
) {
  assert.equal(response.statusCode, status, response.body);
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['error', 'error_description']);
  assert.equal(body.error, error);
  assert.equal(typeof body.error_description, 'string');
  if (description) assert.match(body.error_description, description);
  assert.equal(response.headers['cache-control'], 'no-store');
  if (status === 401) assert.match(String(response.headers['www-authenticate']), /^Basic realm="streamgate"/);
  assert.doesNotMatch(response.body, /\n\s+at |\.ts:\d+|\/work\//);
}

describe('POST /oauth/token', () => {
  const clock = fixedClock(new Date('2031-02-03T04:05:06.000Z'));
  let h: Harness;
  let acme: { token1: string; token2: string; etag: string };
  let globex: { token1: string; token2: string; etag: string };

  const token = (
    authorization: string | undefined,
    payload = 'grant_type=client_credentials',
    contentType = form,
    remoteAddress = '127.0.0.1',
  ) =>
    h.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': contentType, ...(authorization === undefined ? {} : { authorization }) },
      payload,
      remoteAddress,
    });

  before(async () => {
    h = await startHarness({ clock });
    await h.createWorkspace('acme');
    await h.createWorkspace('globex');
    acme = await h.streamingTokens('acme');
    globex = await h.streamingTokens('globex');
  });
  after(async () => {
    await h.close();
  });

  it('mints a broker JWT for Token 1 and for Token 2, verifiable with the published JWKS', async () => {
    const tokens = (
      await h.inject({
        method: 'GET',
        url: '/workspaces/acme/streaming-tokens',
        headers: (await h.admin()).headers,
      })
    ).json();
    const jwksResponse = await h.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    assert.equal(jwksResponse.statusCode, 200);
    const jwks = jwksResponse.json().keys as (JsonWebKey & { kid: string })[];
    // Fetched before any token was minted, as a broker starting first would: the key must be there.
    assert.equal(jwks.length, 1);
    for (const [secret, tokenId] of [
      [acme.token1, tokens.token1.id],
      [acme.token2, tokens.token2.id],
    ] as const) {
      const response = await token(basic('acme', secret));
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers.pragma, 'no-cache');
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
      assert.equal(body.token_type, 'Bearer');
      assert.equal(body.expires_in, 600);
      const jwt = decodeJwt(body.access_token);
      assert.equal(jwt.header.alg, 'ES256');
      assert.equal(typeof jwt.header.kid, 'string');
      assert.equal(jwt.payload.iss, 'http://portal.test');
      assert.equal(jwt.payload.aud, 'kafka');
      assert.equal(jwt.payload.sub, `sgt-${tokenId}`);
      assert.equal(jwt.payload.iat, clock.now().getTime() / 1000);
      assert.equal(Number(jwt.payload.exp) - Number(jwt.payload.iat), 600);
      assert.ok(!body.access_token.includes(secret));

      const jwk = jwks.find((key) => key.kid === jwt.header.kid);
      assert.ok(jwk, 'the signing key is published');
      assert.equal(jwk.kty, 'EC');
      assert.equal(jwk.crv, 'P-256');
      assert.equal('d' in jwk, false, 'no private part is published');
      const publicKey = createPublicKey({ key: jwk, format: 'jwk' });
      const ok = verify(
        'sha256',
        Buffer.from(jwt.signingInput),
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        jwt.signature,
      );
      assert.equal(ok, true, 'the signature verifies with the JWKS');
      const tampered = jwt.signingInput.replace(/\.(.)/, (_m, c: string) => `.${c === 'e' ? 'f' : 'e'}`);
      assert.equal(
        verify('sha256', Buffer.from(tampered), { key: publicKey, dsaEncoding: 'ieee-p1363' }, jwt.signature),
        false,
      );
    }
  });

  it('accepts the credentials in the form body too (client_secret_post), but not in both places', async () => {
    const post = await token(
      undefined,
      `grant_type=client_credentials&client_id=acme&client_secret=${acme.token1}`,
    );
    assert.equal(post.statusCode, 200, post.body);
    const both = await token(
      basic('acme', acme.token1),
      `grant_type=client_credentials&client_id=acme&client_secret=${acme.token1}`,
    );
    assertOAuthError(both, 400, 'invalid_request');
  });

  it('refuses a wrong secret, an unknown client and a token of another workspace with invalid_client', async () => {
    const cases: [string, string, string, RegExp][] = [
      ['unknown well-formed secret', 'acme', generateStreamingToken(), /Unknown streaming token/],
      [
        'secret with a typo',
        'acme',
        `${acme.token1.slice(0, 10)}${acme.token1[10] === 'a' ? 'b' : 'a'}${acme.token1.slice(11)}`,
        /checksum/,
      ],
      ['secret that is no token', 'acme', 'password', /not in the sgs_ format/],
      ['unknown client id', 'nope', acme.token1, /does not belong to workspace 'nope'/],
      ['another workspace’s token', 'globex', acme.token1, /does not belong to workspace 'globex'/],
      ['a prefix-sharing client id', 'acme-prod', acme.token1, /does not belong/],
    ];
    for (const [name, id, secret, description] of cases) {
      const response = await token(basic(id, secret), undefined, undefined, '10.9.0.1');
      assertOAuthError(response, 401, 'invalid_client', description);
      assert.ok(
        !response.body.includes(secret) || secret === 'password',
        `${name}: the secret is not echoed`,
      );
    }
    assert.equal((await token(basic('globex', globex.token1))).statusCode, 200);
  });

  it('refuses malformed or missing client authentication with 401', async () => {
    for (const authorization of [
      'Basic !!!not-base64!!!',
      `Basic ${Buffer.from('no-colon-here').toString('base64')}`,
      `Basic ${Buffer.from(`:${acme.token1}`).toString('base64')}`,
      'Basic',
      `Bearer ${acme.token1}`,
      `Digest username="acme"`,
      '',
    ]) {
      assertOAuthError(await token(authorization, undefined, undefined, '10.9.0.2'), 401, 'invalid_client');
    }
    assertOAuthError(await token(undefined), 401, 'invalid_client', /Client authentication is required/);
  });

  it('supports only the client-credentials grant', async () => {
    const auth = basic('acme', acme.token1);
    assertOAuthError(
      await token(auth, 'grant_type=password&username=a&password=b'),
      400,
      'unsupported_grant_type',
    );
    assertOAuthError(
      await token(auth, 'grant_type=authorization_code&code=x'),
      400,
      'unsupported_grant_type',
    );
    assertOAuthError(await token(auth, ''), 400, 'invalid_request', /grant_type is required/);
    assertOAuthError(await token(auth, 'scope=kafka'), 400, 'invalid_request', /grant_type/);
  });

  it('speaks RFC 6749 for bodies that are not a form', async () => {
    const auth = basic('acme', acme.token1);
    assertOAuthError(
      await token(auth, JSON.stringify({ grant_type: 'client_credentials' }), 'application/json'),
      400,
      'invalid_request',
    );
    assertOAuthError(await token(auth, '{"grant_type":', 'application/json'), 400, 'invalid_request');
    assertOAuthError(
      await token(auth, 'grant_type=client_credentials', 'text/plain'),
      400,
      'invalid_request',
    );
    const oversized = await token(auth, `grant_type=client_credentials&pad=${'x'.repeat(70 * 1024)}`);
    assert.ok([400, 413].includes(oversized.statusCode), String(oversized.statusCode));
    assertOAuthError(oversized, oversized.statusCode, 'invalid_request');
    const overFormLimit = await token(auth, `grant_type=client_credentials&pad=${'x'.repeat(9 * 1024)}`);
    assertOAuthError(overFormLimit, overFormLimit.statusCode, 'invalid_request');
  });

  it('says a rotated-away token was rotated', async () => {
    await h.createWorkspace('rotating');
    const before = await h.streamingTokens('rotating');
    assert.equal((await token(basic('rotating', before.token1))).statusCode, 200);
    assert.equal((await h.rotate('rotating')).statusCode, 200);
    const refused = await token(basic('rotating', before.token1));
    assertOAuthError(refused, 401, 'invalid_client', /deactivated by a rotation/);
    assert.equal((await token(basic('rotating', before.token2))).statusCode, 200, 'the promoted token mints');
  });

  it('does not let failed guesses from many addresses lock a workspace out', async () => {
    await h.createWorkspace('besieged');
    const pair = await h.streamingTokens('besieged');
    // 60 addresses × 20 failures: each address stays within its own failure budget.
    for (let address = 0; address < 60; address++) {
      for (let i = 0; i < 20; i++) {
        const response = await token(
          basic('besieged', generateStreamingToken()),
          undefined,
          undefined,
          `10.8.${address}.1`,
        );
        assert.equal(response.statusCode, 401);
      }
    }
    const legit = await token(basic('besieged', pair.token1), undefined, undefined, '10.7.0.1');
    assert.equal(legit.statusCode, 200, legit.body);
  });

  it('bounds the signing work of one workspace: over 1200 tokens a minute is slow_down', async () => {
    await h.createWorkspace('greedy');
    const pair = await h.streamingTokens('greedy');
    for (let i = 0; i < 1200; i++) {
      const response = await token(basic('greedy', pair.token2), undefined, undefined, '10.6.0.1');
      assert.equal(response.statusCode, 200, `request ${i + 1}`);
    }
    const limited = await token(basic('greedy', pair.token2), undefined, undefined, '10.6.0.2');
    assertOAuthError(limited, 429, 'slow_down');
    assert.equal(
      (await token(basic('acme', acme.token1))).statusCode,
      200,
      'other workspaces are not affected',
    );
    clock.advance(60_000);
    assert.equal((await token(basic('greedy', pair.token2))).statusCode, 200);
  });

  it('slows a guesser down: 429 slow_down with Retry-After after 20 failures, never for the right secret', async () => {
    await h.createWorkspace('guessed');
    const pair = await h.streamingTokens('guessed');
    const guess = () => token(basic('guessed', generateStreamingToken()), undefined, undefined, '10.9.9.9');
    for (let i = 0; i < 20; i++) {
      const response = await guess();
      assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
    }
    const limited = await guess();
    assertOAuthError(limited, 429, 'slow_down');
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 60, String(limited.headers['retry-after']));
    // The failure limit never refuses a valid secret (issue 10): the real client on the same
    // address (a shared NAT, the broker's host) keeps getting its tokens.
    assert.equal(
      (await token(basic('guessed', pair.token1), undefined, undefined, '10.9.9.9')).statusCode,
      200,
    );
    assert.equal((await token(basic('acme', acme.token1), undefined, undefined, '10.9.9.9')).statusCode, 200);
    clock.advance(retryAfter * 1000);
    assert.equal((await guess()).statusCode, 401, 'a wrong secret is plainly refused again');
  });

  it("takes the token's own principal as client id (the broker's PLAIN check), and no other", async () => {
    await h.createWorkspace('plainly');
    const pair = await h.streamingTokens('plainly');
    const ids = (
      await h.inject({
        method: 'GET',
        url: '/workspaces/plainly/streaming-tokens?values=false',
        headers: (await h.admin()).headers,
      })
    ).json();
    const principal1 = `sgt-${ids.token1.id}`;
    const ok = await token(basic(principal1, pair.token1), undefined, undefined, '10.4.0.1');
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(decodeJwt(ok.json().access_token).payload.sub, principal1);
    // Token 2 under Token 1's principal, and another workspace's token, are refused.
    assertOAuthError(
      await token(basic(principal1, pair.token2), undefined, undefined, '10.4.0.1'),
      401,
      'invalid_client',
      /is not principal/,
    );
    assertOAuthError(
      await token(basic(principal1, acme.token1), undefined, undefined, '10.4.0.1'),
      401,
      'invalid_client',
    );
    // Every PLAIN check comes from the broker's one address: wrong passwords sent through it
    // must not lock the token's real logins out.
    for (let i = 0; i < 30; i++) {
      const response = await token(
        basic(principal1, generateStreamingToken()),
        undefined,
        undefined,
        '10.4.0.1',
      );
      assert.equal(response.statusCode, 401, `attempt ${i + 1}`);
    }
    assert.equal(
      (await token(basic(principal1, pair.token1), undefined, undefined, '10.4.0.1')).statusCode,
      200,
    );
    assert.equal((await h.rotate('plainly')).statusCode, 200);
    assertOAuthError(
      await token(basic(principal1, pair.token1), undefined, undefined, '10.4.0.1'),
      401,
      'invalid_client',
      /deactivated by a rotation/,
    );
  });
});
