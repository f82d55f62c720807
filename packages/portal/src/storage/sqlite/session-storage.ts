import * as rows from '../rows.ts';
import type { SessionStorage } from '../storage.ts';
import { sessionColumns, sessionValues } from '../values.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';

/** Login sessions, by the hash of their id. */
export function sessionStorage(db: SqliteAccess): SessionStorage {
  return {
    async createSession(session) {
      db.run(
        `INSERT INTO sessions (${sessionColumns}) VALUES (${parametersFor(sessionColumns)})`,
        ...sessionValues(session),
      );
    },
    async findSession(idHash) {
      const row = db.get('SELECT * FROM sessions WHERE id_hash = ?', idHash);
      return row ? rows.session(row) : null;
    },
    async deleteSession(idHash) {
      db.run('DELETE FROM sessions WHERE id_hash = ?', idHash);
    },
    async deleteExpiredSessions(now) {
      return db.run('DELETE FROM sessions WHERE expires_at <= ?', ms(now));
    },
  };
}
