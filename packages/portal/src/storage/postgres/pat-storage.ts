import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { PatStorage } from '../storage.ts';
import { patColumns, patValues } from '../values.ts';
import { execute, ms, parametersFor, query, queryOne } from './query.ts';

/** Personal access tokens' records: revoked only by their owner, touched on use. */
export function patStorage(pool: Pool): PatStorage {
  return {
    async createPat(pat) {
      await execute(
        pool,
        `INSERT INTO pats (${patColumns}) VALUES (${parametersFor(patColumns)})`,
        patValues(pat),
      );
    },
    async findPat(id) {
      const row = await queryOne(pool, 'SELECT * FROM pats WHERE id = $1', [id]);
      return row ? rows.pat(row) : null;
    },
    async listPats(userId) {
      return (
        await query(pool, 'SELECT * FROM pats WHERE user_id = $1 ORDER BY created_at DESC', [userId])
      ).map(rows.pat);
    },
    async revokePat(userId, id, at) {
      const changed = await execute(
        pool,
        'UPDATE pats SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL',
        [ms(at), id, userId],
      );
      return changed > 0;
    },
    async touchPat(id, at) {
      await execute(pool, 'UPDATE pats SET last_used_at = $1 WHERE id = $2', [ms(at), id]);
    },
  };
}
