import * as rows from '../rows.ts';
import type { UserChangeOutcome, UserStorage } from '../storage.ts';
import { userColumns, userValues } from '../values.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';

/** Inside a transaction: whether removing this user's power leaves an enabled Admin. */
function lastAdminCheck(db: SqliteAccess, id: string, removing: boolean): UserChangeOutcome {
  const target = db.get('SELECT organisation_role, disabled_at FROM users WHERE id = ?', id);
  if (!target) return 'not-found';
  if (!removing || target.organisation_role !== 'Admin' || target.disabled_at !== null) return 'done';
  const others = db.get(
    "SELECT COUNT(*) AS n FROM users WHERE organisation_role = 'Admin' AND disabled_at IS NULL AND id <> ?",
    id,
  );
  return Number(others?.n ?? 0) > 0 ? 'done' : 'last-admin';
}

/** The organisation's users; disabling or deleting one takes its sessions and PATs with it. */
export function userStorage(db: SqliteAccess): UserStorage {
  const findById = (id: string) => {
    const row = db.get('SELECT * FROM users WHERE id = ?', id);
    return row ? rows.user(row) : null;
  };
  return {
    async createUser(user) {
      db.run(
        `INSERT INTO users (${userColumns}) VALUES (${parametersFor(userColumns)})`,
        ...userValues(user),
      );
    },
    async findUserByEmail(email) {
      const row = db.get('SELECT * FROM users WHERE email = ?', email);
      return row ? rows.user(row) : null;
    },
    async findUserById(id) {
      return findById(id);
    },
    async listUsers() {
      return db.all('SELECT * FROM users ORDER BY email').map(rows.user);
    },
    async updateUser(id, changes) {
      return db.transaction(() => {
        if (changes.name !== undefined) db.run('UPDATE users SET name = ? WHERE id = ?', changes.name, id);
        if (changes.organisationRole !== undefined)
          db.run('UPDATE users SET organisation_role = ? WHERE id = ?', changes.organisationRole, id);
        if (changes.clearWorkspaceRoles) db.run('DELETE FROM workspace_roles WHERE user_id = ?', id);
        return findById(id);
      });
    },
    async setUserDisabled(id, disabledAt) {
      return db.transaction(() => {
        const outcome = lastAdminCheck(db, id, disabledAt !== null);
        if (outcome !== 'done') return outcome;
        db.run('UPDATE users SET disabled_at = ? WHERE id = ?', ms(disabledAt), id);
        if (disabledAt) {
          db.run('DELETE FROM sessions WHERE user_id = ?', id);
          db.run(
            'UPDATE pats SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL',
            ms(disabledAt),
            id,
          );
        }
        return 'done';
      });
    },
    async deleteUser(id) {
      return db.transaction(() => {
        const outcome = lastAdminCheck(db, id, true);
        if (outcome !== 'done') return outcome;
        // Sessions, PATs and workspace roles go with it (ON DELETE CASCADE).
        db.run('DELETE FROM users WHERE id = ?', id);
        return 'done';
      });
    },
    async changePassword(id, passwordHash, keepSession) {
      return db.transaction(() => {
        if (db.run('UPDATE users SET password_hash = ? WHERE id = ?', passwordHash, id) === 0) return false;
        db.run('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?', id, keepSession);
        return true;
      });
    },
    async countUsers() {
      return Number(db.get('SELECT COUNT(*) AS n FROM users')?.n ?? 0);
    },
  };
}
