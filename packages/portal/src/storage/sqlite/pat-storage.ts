import * as rows from '../rows.ts';
import type { PatStorage } from '../storage.ts';
import { patColumns, patValues } from '../values.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';

/** Personal access tokens' records: revoked only by their owner, touched on use. */
export function patStorage(db: SqliteAccess): PatStorage {
  return {
    async createPat(pat) {
      db.run(`INSERT INTO pats (${patColumns}) VALUES (${parametersFor(patColumns)})`, ...patValues(pat));
    },
    async findPat(id) {
      const row = db.get('SELECT * FROM pats WHERE id = ?', id);
      return row ? rows.pat(row) : null;
    },
    async listPats(userId) {
      return db.all('SELECT * FROM pats WHERE user_id = ? ORDER BY created_at DESC', userId).map(rows.pat);
    },
    async revokePat(userId, id, at) {
      const revoked = db.run(
        'UPDATE pats SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
        ms(at),
        id,
        userId,
      );
      return revoked > 0;
    },
    async touchPat(id, at) {
      db.run('UPDATE pats SET last_used_at = ? WHERE id = ?', ms(at), id);
    },
  };
}
