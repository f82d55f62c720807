import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { SessionStorage } from '../storage.ts';
import { sessionColumns, sessionValues } from '../values.ts';
import { execute, ms, parametersFor, queryOne } from './query.ts';

/** Login sessions, by the hash of their id. */
export function sessionStorage(pool: Pool): SessionStorage {
  return {
    async createSession(session) {
      await execute(
        pool,
        `INSERT INTO sessions (${sessionColumns}) VALUES (${parametersFor(sessionColumns)})`,
        sessionValues(session),
      );
    },
    async findSession(idHash) {
      const row = await queryOne(pool, 'SELECT * FROM sessions WHERE id_hash = $1', [idHash]);
      return row ? rows.session(row) : null;
    },
    async deleteSession(idHash) {
      await execute(pool, 'DELETE FROM sessions WHERE id_hash = $1', [idHash]);
    },
    async deleteExpiredSessions(now) {
      return execute(pool, 'DELETE FROM sessions WHERE expires_at <= $1', [ms(now)]);
    },
  };
}
