import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { SigningKeyStorage } from '../storage.ts';
import { signingKeyColumns, signingKeyValues } from '../values.ts';
import { execute, ms, parametersFor, query } from './query.ts';

/** Signing keys for PATs and broker credentials, sealed at rest, newest first. */
export function signingKeyStorage(pool: Pool): SigningKeyStorage {
  return {
    async addSigningKey(key) {
      await execute(
        pool,
        `INSERT INTO signing_keys (${signingKeyColumns}) VALUES (${parametersFor(signingKeyColumns)})`,
        signingKeyValues(key),
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
