import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { createDecoder, createVerifier, TokenError } from 'fast-jwt';
import type { Clock } from '../clock.ts';
import { sha256Hex } from './hashing.ts';
import type { SigningKeyRing } from './signing-keys.ts';

/**
 * ES256 JWTs over a key ring: signed with node:crypto, verified through fast-jwt (node:crypto
 * too, several times faster than the WebCrypto path on the hot paths: every PAT request
 * verifies, every broker credential signs). Time claims are set and checked here against the
 * injected clock.
 */
export interface JwtClaims {
  sub: string;
  jti?: string;
  [claim: string]: unknown;
}

export type JwtFailure =
  | 'malformed'
  | 'bad-signature'
  | 'unknown-key'
  | 'expired'
  | 'wrong-issuer-or-audience';

export class JwtError extends Error {
  readonly failure: JwtFailure;
  constructor(failure: JwtFailure, message: string) {
    super(message);
    this.failure = failure;
  }
}

export function createJwtIssuer(deps: {
  ring: SigningKeyRing;
  clock: Clock;
  issuer: string;
  audience: string;
  /**
   * Hand out the JWT already signed for the same claims, key and second (`iat`) instead of
   * signing again: the two would differ only in ECDSA's random nonce. For the broker's tokens,
   * where one streaming token can ask many times a second (every connection of a service
   * logging in at once after a broker restart, each a PLAIN check), and one ES256 signature is
   * most of a request's cost. Nothing outlives its second, and the caller still authenticates
   * every request before asking.
   */
  reuseWithinSecond?: boolean;
}) {
  // Signed with node:crypto directly, in JWS's own signature format (ieee-p1363, r || s): the
  // same JWT fast-jwt's signer makes, without its DER-to-JOSE conversion and base64 rewriting
  // (~4 µs of a ~30 µs signature; the broker's token endpoint signs on every request).
  const signers = new Map<string, { header: string; key: KeyObject }>();
  const signedThisSecond = new Map<string, string>();
  let thisSecond = -1;
  return {
    async sign(claims: JwtClaims, ttlSeconds: number): Promise<{ jwt: string; expiresAt: Date }> {
      const current = await deps.ring.current();
      let signer = signers.get(current.kid);
      if (!signer) {
        const header = JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: current.kid });
        signer = {
          header: Buffer.from(header).toString('base64url'),
          key: createPrivateKey(current.privateKeyPem),
        };
        signers.set(current.kid, signer);
      }
      const iat = Math.floor(deps.clock.now().getTime() / 1000);
      const exp = iat + ttlSeconds;
      const payload = JSON.stringify({ ...claims, iss: deps.issuer, aud: deps.audience, iat, exp });
      const input = `${signer.header}.${Buffer.from(payload).toString('base64url')}`;
      const expiresAt = new Date(exp * 1000);
      if (deps.reuseWithinSecond) {
        if (iat !== thisSecond) {
          signedThisSecond.clear();
          thisSecond = iat;
        }
        // The header names the key, the payload holds every claim: equal inputs, equal tokens.
        const signed = signedThisSecond.get(input);
        if (signed) return { jwt: signed, expiresAt };
      }
      const signature = sign('sha256', Buffer.from(input), { key: signer.key, dsaEncoding: 'ieee-p1363' });
      const jwt = `${input}.${signature.toString('base64url')}`;
      if (deps.reuseWithinSecond) signedThisSecond.set(input, jwt);
      return { jwt, expiresAt };
    },
  };
}

const verifiedTokensCached = 1000;
const verifiedTokenCacheMs = 60_000;

type CheckedClaims = JwtClaims & { exp: number; iat: number };

export function createJwtChecker(deps: {
  ring: SigningKeyRing;
  clock: Clock;
  issuer: string;
  audience: string;
}) {
  // One synchronous verifier per key, built with the key itself: a key callback would make
  // every check asynchronous and parse the public key again (the PAT hot path).
  const verifiers = new Map<string, (jwt: string) => unknown>();
  const decodeHeader = createDecoder({ complete: true, checkTyp: undefined });
  // A token verified in the last minute skips its decoding and the ES256 verification (most of a
  // PAT request's cost; fast-jwt's own cache still decoded the header and hashed the token in
  // several steps, ~15 µs a request). Keyed by the token's SHA-256; what is remembered is that
  // this exact string verified under `kid`. The key is asked about every time (a retired key's
  // tokens are refused, remembered or not), expiry is checked against the clock, and revocation
  // and roles by the caller.
  const verified = new Map<string, { kid: string; claims: CheckedClaims; until: number }>();

  const keyOf = async (kid: string) => {
    // Asked every time (from memory, refreshed every few seconds): a retired key's verifier is
    // dropped, not consulted.
    const key = await deps.ring.byKid(kid);
    if (!key) {
      verifiers.delete(kid);
      throw new JwtError(
        'unknown-key',
        'The token was signed by a key this portal does not know or has retired.',
      );
    }
    return key;
  };

  const verifyAnew = async (jwt: string): Promise<{ kid: string; claims: CheckedClaims }> => {
    let kid: unknown;
    try {
      kid = (decodeHeader(jwt) as { header: { kid?: unknown } }).header.kid;
    } catch {
      throw new JwtError('malformed', 'The token is malformed.');
    }
    if (typeof kid !== 'string')
      throw new JwtError('unknown-key', 'The token was signed by a key this portal does not know.');
    const key = await keyOf(kid);
    let verify = verifiers.get(kid);
    if (!verify) {
      verify = createVerifier({
        key: key.publicKeyPem,
        algorithms: ['ES256'],
        allowedIss: deps.issuer,
        allowedAud: deps.audience,
        requiredClaims: ['sub', 'exp', 'iat', 'iss', 'aud'],
        ignoreExpiration: true,
        ignoreNotBefore: true,
      });
      verifiers.set(kid, verify);
    }
    return { kid, claims: Object.freeze(verify(jwt)) as CheckedClaims };
  };

  return {
    async check(jwt: string): Promise<CheckedClaims> {
      const now = deps.clock.now().getTime();
      const hash = sha256Hex(jwt);
      let claims: CheckedClaims;
      try {
        const known = verified.get(hash);
        if (known !== undefined && known.until > now) {
          await keyOf(known.kid);
          claims = known.claims;
        } else {
          if (known !== undefined) verified.delete(hash);
          const fresh = await verifyAnew(jwt);
          claims = fresh.claims;
          // Bounded: the oldest entry goes first (a Map keeps insertion order).
          if (verified.size >= verifiedTokensCached) verified.delete(verified.keys().next().value!);
          verified.set(hash, { ...fresh, until: now + verifiedTokenCacheMs });
        }
      } catch (error) {
        throw toJwtError(error);
      }
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
        throw new JwtError('expired', 'The token has expired.');
      }
      return claims;
    },
  };
}

function toJwtError(error: unknown): JwtError {
  if (error instanceof JwtError) return error;
  const cause = error instanceof TokenError ? (error.originalError ?? null) : null;
  if (cause instanceof JwtError) return cause;
  const code = error instanceof TokenError ? error.code : '';
  switch (code) {
    case TokenError.codes.invalidSignature:
      return new JwtError('bad-signature', 'The token signature is invalid.');
    case TokenError.codes.invalidAlgorithm:
      return new JwtError('bad-signature', 'The token uses an algorithm this portal does not accept.');
    case TokenError.codes.invalidClaimValue:
    case TokenError.codes.missingRequiredClaim:
      return new JwtError('wrong-issuer-or-audience', 'The token was not issued for this portal.');
    case TokenError.codes.keyFetchingError:
      return new JwtError('unknown-key', 'The token was signed by a key this portal does not know.');
    default:
      return new JwtError('malformed', 'The token is malformed.');
  }
}
