import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { Store } from '../storage.ts';
import { execute, ms, type Queryable, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

type UserStorage = Pick<
  Store,
  | 'createUser'
  | 'findUserByEmail'
  | 'findUserById'
  | 'listUsers'
  | 'updateUser'
  | 'countUsers'
  | 'setUserDisabled'
  | 'deleteUser'
  | 'changePassword'
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

/**
 * Inside a transaction: whether removing this user's power leaves an enabled Admin. The Admins'
 * rows are locked first, so two Admins disabling each other at once cannot both succeed.
 */
async function lastAdminCheck(
  client: Queryable,
  id: string,
  removing: boolean,
): Promise<'done' | 'not-found' | 'last-admin'> {
  const admins = await query(
    client,
    "SELECT id, disabled_at FROM users WHERE organisation_role = 'Admin' OR id = $1 ORDER BY id FOR UPDATE",
    [id],
  );
  const target = await queryOne(client, 'SELECT organisation_role, disabled_at FROM users WHERE id = $1', [
    id,
  ]);
  if (!target) return 'not-found';
  if (!removing || target.organisation_role !== 'Admin' || target.disabled_at !== null) return 'done';
  const others = admins.filter((row) => row.id !== id && row.disabled_at === null);
  return others.length > 0 ? 'done' : 'last-admin';
}

/** Users and what authenticates them: sessions and personal access tokens. */
export function userStorage(pool: Pool): UserStorage {
  return {
    async createUser(user) {
      await execute(
        pool,
        'INSERT INTO users (id, email, name, password_hash, organisation_role, created_at, disabled_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          user.id,
          user.email,
          user.name,
          user.passwordHash,
          user.organisationRole,
          ms(user.createdAt),
          ms(user.disabledAt ?? null),
        ],
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
      // One transaction, so a concurrent reader never sees half of the change.
      return transaction(pool, async (client) => {
        const row = await queryOne(
          client,
          `UPDATE users SET name = COALESCE($2, name), organisation_role = COALESCE($3, organisation_role)
           WHERE id = $1 RETURNING *`,
          [id, changes.name ?? null, changes.organisationRole ?? null],
        );
        if (row && changes.clearWorkspaceRoles)
          await execute(client, 'DELETE FROM workspace_roles WHERE user_id = $1', [id]);
        return row ? rows.user(row) : null;
      });
    },
    async setUserDisabled(id, disabledAt) {
      return transaction(pool, async (client) => {
        const outcome = await lastAdminCheck(client, id, disabledAt !== null);
        if (outcome !== 'done') return outcome;
        await execute(client, 'UPDATE users SET disabled_at = $2 WHERE id = $1', [id, ms(disabledAt)]);
        if (disabledAt) {
          await execute(client, 'DELETE FROM sessions WHERE user_id = $1', [id]);
          await execute(client, 'UPDATE pats SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [
            id,
            ms(disabledAt),
          ]);
        }
        return 'done';
      });
    },
    async deleteUser(id) {
      return transaction(pool, async (client) => {
        const outcome = await lastAdminCheck(client, id, true);
        if (outcome !== 'done') return outcome;
        // Sessions, PATs and workspace roles go with it (ON DELETE CASCADE).
        await execute(client, 'DELETE FROM users WHERE id = $1', [id]);
        return 'done';
      });
    },
    async changePassword(id, passwordHash, keepSession) {
      return transaction(pool, async (client) => {
        const changed = await execute(client, 'UPDATE users SET password_hash = $2 WHERE id = $1', [
          id,
          passwordHash,
        ]);
        if (changed === 0) return false;
        await execute(client, 'DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [
          id,
          keepSession,
        ]);
        return true;
      });
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
