import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { Store } from '../storage.ts';
import { execute, ms, query } from './query.ts';

type SigningKeyStorage = Pick<Store, 'addSigningKey' | 'listSigningKeys' | 'retireSigningKey'>;

/** Signing keys for PATs and broker credentials, sealed at rest, newest first. */
export function signingKeyStorage(pool: Pool): SigningKeyStorage {
  return {
    async addSigningKey(key) {
      await execute(
        pool,
        `INSERT INTO signing_keys (kid, purpose, algorithm, sealed_private_key, public_jwk, created_at, retired_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          key.kid,
          key.purpose,
          key.algorithm,
          key.sealedPrivateKey,
          key.publicJwk,
          ms(key.createdAt),
          ms(key.retiredAt),
        ],
      );
    },
    async listSigningKeys(purpose) {
      const found = await query(
        pool,
        'SELECT * FROM signing_keys WHERE purpose = $1 ORDER BY created_at DESC, kid',
        [purpose],
      );
      return found.map(rows.signingKey);
    },
    async retireSigningKey(kid, at) {
      await execute(
        pool,
        'UPDATE signing_keys SET retired_at = LEAST(COALESCE(retired_at, $1), $1) WHERE kid = $2',
        [ms(at), kid],
      );
    },
  };
}
