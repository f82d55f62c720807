import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { PatStorage } from '../storage.ts';
import { patColumns, patValues, qualified } from '../values.ts';
import { execute, ms, parametersFor, prepared, query, queryOne } from './query.ts';

// The same columns as SQLite's (sqlite/pat-storage.ts), so one mapper reads both.
const patAuthentication = prepared(
  'pat_authentication',
  `SELECT ${qualified(patColumns, 'p')},
     (SELECT json_build_array(u.email, u.organisation_role, u.disabled_at)::text FROM users u
       WHERE u.id = p.user_id) AS owner,
     (SELECT COALESCE(json_agg(json_build_array(r.workspace_id, r.role)), '[]')::text
       FROM workspace_roles r WHERE r.user_id = p.user_id) AS owner_workspace_roles
   FROM pats p
   WHERE p.id = $1`,
);
const touch = prepared('pat_touch', 'UPDATE pats SET last_used_at = $1 WHERE id = $2');

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
    async findPatAuthentication(id) {
      const row = await queryOne(pool, patAuthentication, [id]);
      return row ? rows.patAuthentication(row) : null;
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
      await execute(pool, touch, [ms(at), id]);
    },
  };
}
