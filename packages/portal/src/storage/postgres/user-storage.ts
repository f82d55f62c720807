import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { UserChangeOutcome, UserStorage } from '../storage.ts';
import { userColumns, userValues } from '../values.ts';
import { execute, ms, parametersFor, type Queryable, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

/**
 * Inside a transaction: whether removing this user's power leaves an enabled Admin. The Admins'
 * rows are locked first, so two Admins disabling each other at once cannot both succeed.
 */
async function lastAdminCheck(client: Queryable, id: string, removing: boolean): Promise<UserChangeOutcome> {
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

/** The organisation's users; disabling or deleting one takes its sessions and PATs with it. */
export function userStorage(pool: Pool): UserStorage {
  return {
    async createUser(user) {
      await execute(
        pool,
        `INSERT INTO users (${userColumns}) VALUES (${parametersFor(userColumns)})`,
        userValues(user),
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
  };
}
