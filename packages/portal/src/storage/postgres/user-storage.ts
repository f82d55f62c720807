import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { Store } from '../storage.ts';
import { execute, ms, query, queryOne } from './query.ts';

type UserStorage = Pick<
  Store,
  | 'createUser'
  | 'findUserByEmail'
  | 'findUserById'
  | 'listUsers'
  | 'updateUser'
  | 'countUsers'
  | 'createSession'
  | 'findSession'
  | 'deleteSession'
  | 'deleteExpiredSessions'
  | 'createPat'
  | 'findPat'
  | 'listPats'
  | 'revokePat'
  | 'touchPat'
>;

/** Users and what authenticates them: sessions and personal access tokens. */
export function userStorage(pool: Pool): UserStorage {
  return {
    async createUser(user) {
      await execute(
        pool,
        'INSERT INTO users (id, email, name, password_hash, organisation_role, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [user.id, user.email, user.name, user.passwordHash, user.organisationRole, ms(user.createdAt)],
      );
    },
    async findUserByEmail(email) {
      const row = await queryOne(pool, 'SELECT * FROM users WHERE email = $1', [email]);
      return row ? rows.user(row) : null;
    },
    async findUserById(id) {
      const row = await queryOne(pool, 'SELECT * FROM users WHERE id = $1', [id]);
      return row ? rows.user(row) : null;
    },
    async listUsers() {
      return (await query(pool, 'SELECT * FROM users ORDER BY email')).map(rows.user);
    },
    async updateUser(id, changes) {
      // One statement, so a concurrent reader never sees half of the change.
      const row = await queryOne(
        pool,
        `UPDATE users SET name = COALESCE($2, name), organisation_role = COALESCE($3, organisation_role)
         WHERE id = $1 RETURNING *`,
        [id, changes.name ?? null, changes.organisationRole ?? null],
      );
      return row ? rows.user(row) : null;
    },
    async countUsers() {
      return Number((await queryOne(pool, 'SELECT COUNT(*) AS n FROM users'))?.n ?? 0);
    },

    async createSession(session) {
      await execute(
        pool,
        'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)',
        [session.idHash, session.userId, session.csrfToken, ms(session.createdAt), ms(session.expiresAt)],
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

    async createPat(pat) {
      await execute(
        pool,
        `INSERT INTO pats (id, user_id, name, created_at, expires_at, workspaces, read_only, last_used_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          pat.id,
          pat.userId,
          pat.name,
          ms(pat.createdAt),
          ms(pat.expiresAt),
          pat.workspaces ? JSON.stringify(pat.workspaces) : null,
          pat.readOnly,
          ms(pat.lastUsedAt),
          ms(pat.revokedAt),
        ],
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
