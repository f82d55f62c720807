import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Jwks } from '@streamgate/contract';
import type { Clock } from '../clock.ts';
import type { SigningKeyRecord, SigningKeyStorage } from '../storage/storage.ts';
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
 * key without a retirement date signs. A rotation can also retire the previous keys at a given
 * time (after the longest lifetime of what they signed, or at once for a leaked key): from then
 * on a key is neither published nor trusted.
 */
export interface SigningKeyRing {
  /** The key that signs now; created on first use when the database has none. */
  current(): Promise<SigningKey>;
  /** A key that still verifies, by kid; null when unknown or retired. */
  byKid(kid: string): Promise<SigningKey | null>;
  /** Public keys to publish (JWKS): the keys not retired. */
  publicJwks(): Promise<Jwks['keys']>;
  /**
   * Adds a fresh key that signs from now on. With `retirePreviousAt`, every other key stops
   * verifying at that time (or earlier, if it was already due); else they stay valid.
   */
  rotate(options?: { retirePreviousAt?: Date }): Promise<{ key: SigningKey; retiring: SigningKeyRecord[] }>;
}

// Another instance may retire a key: what this one knows of retirements is at most this old.
const retirementRecheckMs = 5_000;

export function createSigningKeyRing(deps: {
  store: SigningKeyStorage;
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

  let known: SigningKeyRecord[] = [];
  let knownAt = Number.NEGATIVE_INFINITY;
  const reload = async () => {
    known = await store.listSigningKeys(purpose);
    knownAt = clock.now().getTime();
  };
  const live = (record: SigningKeyRecord) =>
    record.retiredAt === null || record.retiredAt.getTime() > clock.now().getTime();
  const forget = (kid: string) => {
    cache.delete(kid);
    if (signer?.kid === kid) signer = null;
  };

  return {
    async current() {
      const now = clock.now().getTime();
      if (now - knownAt > retirementRecheckMs) await reload();
      // A key that another instance retired (or scheduled to retire) signs nothing more here.
      if (signer && known.some((record) => record.kid === signer?.kid && record.retiredAt !== null))
        signer = null;
      if (!signer || now - signerCheckedAt > signerRecheckMs) {
        signer = (await newestActive()) ?? (await create());
        signerCheckedAt = now;
      }
      return signer;
    },
    async byKid(kid) {
      let record = known.find((candidate) => candidate.kid === kid);
      if (!record || clock.now().getTime() - knownAt > retirementRecheckMs) {
        await reload();
        record = known.find((candidate) => candidate.kid === kid);
      }
      if (!record) return null;
      if (!live(record)) {
        forget(kid);
        return null;
      }
      return open(record);
    },
    async publicJwks() {
      await reload();
      return known.filter(live).map((record) => JSON.parse(record.publicJwk) as Jwks['keys'][number]);
    },
    async rotate(options = {}) {
      const key = await create();
      signer = key;
      signerCheckedAt = clock.now().getTime();
      const at = options.retirePreviousAt;
      if (at) {
        for (const record of await store.listSigningKeys(purpose)) {
          if (record.kid !== key.kid) await store.retireSigningKey(record.kid, at);
        }
      }
      await reload();
      const from = clock.now().getTime();
      const retiring = known.filter(
        (record) => record.kid !== key.kid && record.retiredAt !== null && record.retiredAt.getTime() >= from,
      );
      for (const record of known) if (!live(record)) forget(record.kid);
      return { key, retiring };
    },
  };
}
