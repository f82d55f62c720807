import { createDecoder, createSigner, createVerifier, TokenError } from 'fast-jwt';
import type { Clock } from '../clock.ts';
import type { SigningKeyRing } from './signing-keys.ts';

/**
 * ES256 JWTs over a key ring, through fast-jwt (node:crypto, several times faster than the
 * WebCrypto path on the hot paths: every PAT request verifies, every broker credential signs).
 * Time claims are set and checked here against the injected clock.
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
}) {
  const signers = new Map<string, (payload: Record<string, unknown>) => string>();
  return {
    async sign(claims: JwtClaims, ttlSeconds: number): Promise<{ jwt: string; expiresAt: Date }> {
      const key = await deps.ring.current();
      let signer = signers.get(key.kid);
      if (!signer) {
        signer = createSigner({
          key: key.privateKeyPem,
          algorithm: 'ES256',
          kid: key.kid,
        });
        signers.set(key.kid, signer);
      }
      const iat = Math.floor(deps.clock.now().getTime() / 1000);
      const exp = iat + ttlSeconds;
      const jwt = signer({ ...claims, iss: deps.issuer, aud: deps.audience, iat, exp });
      return { jwt, expiresAt: new Date(exp * 1000) };
    },
  };
}

const verifiedTokensCached = 1000;
const verifiedTokenCacheMs = 60_000;

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
  const verifierFor = async (jwt: string) => {
    let kid: unknown;
    try {
      kid = (decodeHeader(jwt) as { header: { kid?: unknown } }).header.kid;
    } catch {
      throw new JwtError('malformed', 'The token is malformed.');
    }
    if (typeof kid !== 'string')
      throw new JwtError('unknown-key', 'The token was signed by a key this portal does not know.');
    // Asked every time (from memory, refreshed every few seconds): a retired key's verifier and
    // its cache of verified tokens are dropped, not consulted.
    const key = await deps.ring.byKid(kid);
    if (!key) {
      verifiers.delete(kid);
      throw new JwtError(
        'unknown-key',
        'The token was signed by a key this portal does not know or has retired.',
      );
    }
    const cached = verifiers.get(kid);
    if (cached) return cached;
    const verifier = createVerifier({
      key: key.publicKeyPem,
      algorithms: ['ES256'],
      allowedIss: deps.issuer,
      allowedAud: deps.audience,
      requiredClaims: ['sub', 'exp', 'iat', 'iss', 'aud'],
      ignoreExpiration: true,
      ignoreNotBefore: true,
      // A token seen in the last minute skips the ES256 verification (most of a PAT request's
      // cost). Only the signature check is remembered, keyed by a hash of the token: expiry is
      // checked below against the clock, and revocation and roles by the caller, every time.
      cache: verifiedTokensCached,
      cacheTTL: verifiedTokenCacheMs,
    });
    verifiers.set(kid, verifier);
    return verifier;
  };
  return {
    async check(jwt: string): Promise<JwtClaims & { exp: number; iat: number }> {
      let payload: JwtClaims & { exp: number; iat: number };
      try {
        const verify = await verifierFor(jwt);
        payload = verify(jwt) as JwtClaims & { exp: number; iat: number };
      } catch (error) {
        throw toJwtError(error);
      }
      if (typeof payload.exp !== 'number' || payload.exp * 1000 <= deps.clock.now().getTime()) {
        throw new JwtError('expired', 'The token has expired.');
      }
      return payload;
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
