import * as rows from '../rows.ts';
import type { SigningKeyStorage } from '../storage.ts';
import { signingKeyColumns, signingKeyValues } from '../values.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';

/** Signing keys for PATs and broker credentials, sealed at rest, newest first. */
export function signingKeyStorage(db: SqliteAccess): SigningKeyStorage {
  return {
    async addSigningKey(key) {
      db.run(
        `INSERT INTO signing_keys (${signingKeyColumns}) VALUES (${parametersFor(signingKeyColumns)})`,
        ...signingKeyValues(key),
      );
    },
    async listSigningKeys(purpose) {
      return db
        .all('SELECT * FROM signing_keys WHERE purpose = ? ORDER BY created_at DESC, kid', purpose)
        .map(rows.signingKey);
    },
    async retireSigningKey(kid, at) {
      db.run(
        'UPDATE signing_keys SET retired_at = MIN(COALESCE(retired_at, ?), ?) WHERE kid = ?',
        ms(at),
        ms(at),
        kid,
      );
    },
  };
}
