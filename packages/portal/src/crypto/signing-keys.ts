import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { SigningKeyRecord, Store } from '../storage/storage.ts';
import { randomId } from './hashing.ts';
import type { SecretBox } from './secret-box.ts';

export interface SigningKey {
  kid: string;
  privateKeyPem: string;
  publicKeyPem: string;
  publicJwk: Record<string, string>;
}

/**
 * ES256 signing keys, persisted (private keys sealed) so that a restart or another instance
 * keeps the same `kid`: tokens minted before keep validating. Rotation adds a key; the newest
 * active key signs; retired keys stay published until what they signed has expired.
 */
export interface SigningKeyRing {
  /** The key that signs now; created on first use when the database has none. */
  current(): Promise<SigningKey>;
  /** Any known key by kid (retired ones included), read from storage on a miss. */
  byKid(kid: string): Promise<SigningKey | null>;
  /** Public keys to publish (JWKS). */
  publicJwks(): Promise<Record<string, string>[]>;
  /** Adds a fresh key that signs from now on; the previous keys stay valid. */
  rotate(): Promise<SigningKey>;
}

export function createSigningKeyRing(deps: {
  store: Store;
  box: SecretBox;
  clock: Clock;
  purpose: SigningKeyRecord['purpose'];
}): SigningKeyRing {
  const { store, box, clock, purpose } = deps;
  const cache = new Map<string, SigningKey>();
  let signer: SigningKey | null = null;
  let signerCheckedAt = 0;
  // Another instance may have rotated: look for a newer key now and then, not per signature.
  const signerRecheckMs = 60_000;

  const open = (record: SigningKeyRecord): SigningKey => {
    const cached = cache.get(record.kid);
    if (cached) return cached;
    const privateKeyPem = box.open(record.sealedPrivateKey, `signing-key:${record.kid}`);
    const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
    const key: SigningKey = {
      kid: record.kid,
      privateKeyPem,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicJwk: JSON.parse(record.publicJwk) as Record<string, string>,
    };
    cache.set(record.kid, key);
    return key;
  };

  const create = async (): Promise<SigningKey> => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const kid = `${purpose}-${randomId()}`;
    const jwk = { ...(publicKey as KeyObject).export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' };
    const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const record: SigningKeyRecord = {
      kid,
      purpose,
      algorithm: 'ES256',
      sealedPrivateKey: box.seal(privateKeyPem, `signing-key:${kid}`),
      publicJwk: JSON.stringify(jwk),
      createdAt: clock.now(),
      retiredAt: null,
    };
    await store.addSigningKey(record);
    return open(record);
  };

  const newestActive = async (): Promise<SigningKey | null> => {
    const active = (await store.listSigningKeys(purpose)).filter((record) => record.retiredAt === null);
    return active[0] ? open(active[0]) : null;
  };

  return {
    async current() {
      const now = clock.now().getTime();
      if (!signer || now - signerCheckedAt > signerRecheckMs) {
        signer = (await newestActive()) ?? (await create());
        signerCheckedAt = now;
      }
      return signer;
    },
    async byKid(kid) {
      const cached = cache.get(kid);
      if (cached) return cached;
      const record = (await store.listSigningKeys(purpose)).find((candidate) => candidate.kid === kid);
      return record ? open(record) : null;
    },
    async publicJwks() {
      return (await store.listSigningKeys(purpose)).map(
        (record) => JSON.parse(record.publicJwk) as Record<string, string>,
      );
    },
    async rotate() {
      signer = await create();
      signerCheckedAt = clock.now().getTime();
      return signer;
    },
  };
}
