import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { fixedClock } from '../clock.ts';
import { createJwtChecker, createJwtIssuer, JwtError } from './jwt.ts';
import type { SigningKey, SigningKeyRing } from './signing-keys.ts';

const start = new Date('2030-01-01T00:00:00Z');

/** A ring of in-memory keys; `retire(kid)` makes `byKid` forget one, as a retirement does. */
function testRing() {
  const keys = new Map<string, SigningKey>();
  let newest = '';
  const add = (kid: string) => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    keys.set(kid, {
      kid,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicJwk: {},
    });
    newest = kid;
  };
  add('k1');
  const ring: SigningKeyRing = {
    current: async () => keys.get(newest)!,
    byKid: async (kid) => keys.get(kid) ?? null,
    publicJwks: async () => [],
    rotate: async () => {
      throw new Error('not used here');
    },
  };
  return { ring, add, retire: (kid: string) => keys.delete(kid) };
}

const failureOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof JwtError ? error.failure : String(error)),
  );

describe('JWT checker: what a remembered verification still checks', () => {
  const setup = () => {
    const clock = fixedClock(start);
    const keys = testRing();
    const options = { ring: keys.ring, clock, issuer: 'streamgate', audience: 'portal' };
    return { clock, keys, issuer: createJwtIssuer(options), checker: createJwtChecker(options) };
  };

  it('accepts a token again and again, with the same claims', async () => {
    const { issuer, checker } = setup();
    const { jwt } = await issuer.sign({ sub: 'u1', jti: 'pat-1' }, 3600);
    const first = await checker.check(jwt);
    const again = await checker.check(jwt);
    assert.equal(first.sub, 'u1');
    assert.equal(again.jti, 'pat-1');
  });

  it('refuses a remembered token once it expires', async () => {
    const { clock, issuer, checker } = setup();
    const { jwt } = await issuer.sign({ sub: 'u1', jti: 'pat-1' }, 30);
    await checker.check(jwt);
    clock.advance(30_000);
    assert.equal(await failureOf(checker.check(jwt)), 'expired');
  });

  it('refuses a remembered token once its key is retired', async () => {
    const { keys, issuer, checker } = setup();
    const { jwt } = await issuer.sign({ sub: 'u1', jti: 'pat-1' }, 3600);
    await checker.check(jwt);
    keys.retire('k1');
    assert.equal(await failureOf(checker.check(jwt)), 'unknown-key');
  });

  it('never lets a remembered token vouch for another string', async () => {
    const { issuer, checker } = setup();
    const { jwt } = await issuer.sign({ sub: 'u1', jti: 'pat-1' }, 3600);
    await checker.check(jwt);
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url');
    assert.equal(await failureOf(checker.check(`${header}.${forged}.${signature}`)), 'bad-signature');
    assert.notEqual(await failureOf(checker.check(`${jwt}x`)), 'accepted');
  });

  it('verifies again after a minute, under the key as it is then', async () => {
    const { clock, keys, issuer, checker } = setup();
    const { jwt } = await issuer.sign({ sub: 'u1', jti: 'pat-1' }, 3600);
    await checker.check(jwt);
    clock.advance(61_000);
    keys.add('k2'); // a rotation that keeps k1 verifying
    assert.equal((await checker.check(jwt)).sub, 'u1');
  });
});

describe('JWT issuer: one signature per claims, key and second when asked to reuse', () => {
  const setup = (reuseWithinSecond: boolean) => {
    const clock = fixedClock(start);
    const keys = testRing();
    const options = { ring: keys.ring, clock, issuer: 'streamgate', audience: 'kafka' };
    return {
      clock,
      keys,
      issuer: createJwtIssuer({ ...options, reuseWithinSecond }),
      checker: createJwtChecker(options),
    };
  };
  const claims = { sub: 'sgt-1', workspace_id: 'dev' };

  it('hands out the same valid JWT for the same claims within one second', async () => {
    const { clock, issuer, checker } = setup(true);
    const first = await issuer.sign(claims, 60);
    clock.advance(999);
    const again = await issuer.sign(claims, 60);
    assert.equal(again.jwt, first.jwt);
    assert.deepEqual(again.expiresAt, first.expiresAt);
    assert.equal((await checker.check(again.jwt)).sub, 'sgt-1');
  });

  it('signs anew for other claims, a later second, another key or another lifetime', async () => {
    const { clock, keys, issuer } = setup(true);
    const first = (await issuer.sign(claims, 60)).jwt;
    assert.notEqual((await issuer.sign({ ...claims, sub: 'sgt-2' }, 60)).jwt, first);
    assert.notEqual((await issuer.sign(claims, 61)).jwt, first);
    keys.add('k2');
    const byNewKey = (await issuer.sign(claims, 60)).jwt;
    assert.notEqual(byNewKey, first);
    assert.equal(JSON.parse(Buffer.from(byNewKey.split('.')[0]!, 'base64url').toString()).kid, 'k2');
    clock.advance(1000);
    const nextSecond = (await issuer.sign(claims, 60)).jwt;
    assert.notEqual(nextSecond, byNewKey);
    assert.equal(
      JSON.parse(Buffer.from(nextSecond.split('.')[1]!, 'base64url').toString()).iat,
      start.getTime() / 1000 + 1,
    );
  });

  it('signs every time without the option (ECDSA signatures are randomized)', async () => {
    const { issuer } = setup(false);
    assert.notEqual((await issuer.sign(claims, 60)).jwt, (await issuer.sign(claims, 60)).jwt);
  });
});
