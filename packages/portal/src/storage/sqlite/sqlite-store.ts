import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Role } from '../../permissions/roles.ts';
import * as rows from '../rows.ts';
import type {
  AuditQuery,
  AuditRecord,
  NewWorkspace,
  PatRecord,
  RotationOutcome,
  SessionRecord,
  SigningKeyRecord,
  Store,
  StreamingTokenRecord,
  TokenUsageRecord,
  TopicRecord,
  WorkspaceRecord,
} from '../storage.ts';
import { sqliteDeploymentStorage } from './deployment-storage.ts';
import { sqliteMigrations } from './migrations.ts';

type Row = rows.Row;
const ms = (date: Date | null): number | null => (date ? date.getTime() : null);

/**
 * The embedded default. node:sqlite is synchronous, so every method body, transactions
 * included, runs without yielding to other requests: a transaction can never interleave.
 *
 * One portal process owns the file: it holds SQLite's exclusive lock from opening to closing
 * (several instances share PostgreSQL instead). Every write therefore passes through this
 * object, which lets it keep the two reads of every streaming-token request (the token by its
 * hash, its workspace) in memory and drop them in the same synchronous step as any write that
 * changes them: there is no moment at which a deactivated token is still found.
 */
const maxCached = 10_000;

export function createSqliteStore(path: string): Store {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 2000; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL;');
    db.exec('PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    // Take the lock now, so a second portal on the same data dir fails at start, not later.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
  } catch (error) {
    db.close();
    throw new Error(
      `Another process holds ${path}: a SQLite database serves one portal process (use STREAMGATE_DATABASE_URL with PostgreSQL to run several).`,
      { cause: error },
    );
  }

  const tokensByHash = new Map<string, StreamingTokenRecord>();
  const workspacesById = new Map<string, WorkspaceRecord>();
  const remember = <K, V>(cache: Map<K, V>, key: K, value: V) => {
    if (cache.size >= maxCached) cache.clear();
    cache.set(key, value);
  };
  /** Called inside every write that changes a workspace's tokens or the workspace itself. */
  const forgetWorkspace = (workspaceId: string) => {
    workspacesById.delete(workspaceId);
    for (const [hash, token] of tokensByHash)
      if (token.workspaceId === workspaceId) tokensByHash.delete(hash);
  };

  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const get = (sql: string, ...params: SQLInputValue[]) => prepare(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: SQLInputValue[]) => prepare(sql).all(...params) as Row[];
  const run = (sql: string, ...params: SQLInputValue[]) => Number(prepare(sql).run(...params).changes);

  function transaction<T>(work: () => T): T {
    db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      db.exec('COMMIT');
      return result;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  const insertToken = (token: StreamingTokenRecord) =>
    run(
      'INSERT INTO streaming_tokens (id, workspace_id, slot, token_hash, sealed_value, created_at, deactivated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      token.id,
      token.workspaceId,
      token.slot,
      token.tokenHash,
      token.sealedValue,
      ms(token.createdAt),
      ms(token.deactivatedAt),
    );

  const insertAudit = (entry: AuditRecord) =>
    run(
      `INSERT INTO audit_log (${rows.auditColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ...rows.auditValues(entry),
    );

  /** Inside a transaction: whether removing this user's power leaves an enabled Admin. */
  const lastAdminCheck = (id: string, removing: boolean): 'done' | 'not-found' | 'last-admin' => {
    const target = get('SELECT organisation_role, disabled_at FROM users WHERE id = ?', id);
    if (!target) return 'not-found';
    if (!removing || target.organisation_role !== 'Admin' || target.disabled_at !== null) return 'done';
    const others = get(
      "SELECT COUNT(*) AS n FROM users WHERE organisation_role = 'Admin' AND disabled_at IS NULL AND id <> ?",
      id,
    );
    return Number(others?.n ?? 0) > 0 ? 'done' : 'last-admin';
  };

  const store: Store = {
    engine: 'sqlite',

    async migrate() {
      transaction(() => {
        db.exec(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
        );
        const applied = new Set(
          all('SELECT version FROM schema_migrations').map((row) => Number(row.version)),
        );
        for (const migration of sqliteMigrations) {
          if (applied.has(migration.version)) continue;
          db.exec(migration.sql);
          run(
            'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
            migration.version,
            Date.now(),
          );
        }
      });
    },
    async close() {
      statements.clear();
      tokensByHash.clear();
      workspacesById.clear();
      db.close();
    },
    async ping() {
      get('SELECT 1');
    },

    async createUser(user) {
      run(
        'INSERT INTO users (id, email, name, password_hash, organisation_role, created_at, disabled_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        user.id,
        user.email,
        user.name,
        user.passwordHash,
        user.organisationRole,
        ms(user.createdAt),
        ms(user.disabledAt ?? null),
      );
    },
    async findUserByEmail(email) {
      const row = get('SELECT * FROM users WHERE email = ?', email);
      return row ? rows.user(row) : null;
    },
    async findUserById(id) {
      const row = get('SELECT * FROM users WHERE id = ?', id);
      return row ? rows.user(row) : null;
    },
    async listUsers() {
      return all('SELECT * FROM users ORDER BY email').map(rows.user);
    },
    async updateUser(id, changes) {
      transaction(() => {
        if (changes.name !== undefined) run('UPDATE users SET name = ? WHERE id = ?', changes.name, id);
        if (changes.organisationRole !== undefined)
          run('UPDATE users SET organisation_role = ? WHERE id = ?', changes.organisationRole, id);
        if (changes.clearWorkspaceRoles) run('DELETE FROM workspace_roles WHERE user_id = ?', id);
      });
      return store.findUserById(id);
    },
    async setUserDisabled(id, disabledAt) {
      return transaction(() => {
        const outcome = lastAdminCheck(id, disabledAt !== null);
        if (outcome !== 'done') return outcome;
        run('UPDATE users SET disabled_at = ? WHERE id = ?', ms(disabledAt), id);
        if (disabledAt) {
          run('DELETE FROM sessions WHERE user_id = ?', id);
          run('UPDATE pats SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL', ms(disabledAt), id);
        }
        return 'done';
      });
    },
    async deleteUser(id) {
      return transaction(() => {
        const outcome = lastAdminCheck(id, true);
        if (outcome !== 'done') return outcome;
        // Sessions, PATs and workspace roles go with it (ON DELETE CASCADE).
        run('DELETE FROM users WHERE id = ?', id);
        return 'done';
      });
    },
    async changePassword(id, passwordHash, keepSession) {
      return transaction(() => {
        if (run('UPDATE users SET password_hash = ? WHERE id = ?', passwordHash, id) === 0) return false;
        run('DELETE FROM sessions WHERE user_id = ? AND id_hash IS NOT ?', id, keepSession);
        return true;
      });
    },
    async countUsers() {
      return Number(get('SELECT COUNT(*) AS n FROM users')?.n ?? 0);
    },

    async createWorkspace({ workspace, tokens }: NewWorkspace) {
      return transaction(() => {
        if (get('SELECT 1 FROM workspaces WHERE workspace_id = ?', workspace.workspaceId)) return false;
        run(
          'INSERT INTO workspaces (workspace_id, name, created_at) VALUES (?, ?, ?)',
          workspace.workspaceId,
          workspace.name,
          ms(workspace.createdAt),
        );
        for (const token of tokens) insertToken(token);
        return true;
      });
    },
    async findWorkspace(workspaceId) {
      const cached = workspacesById.get(workspaceId);
      if (cached) return { ...cached };
      const row = get('SELECT * FROM workspaces WHERE workspace_id = ?', workspaceId);
      if (!row) return null;
      const workspace = rows.workspace(row);
      remember(workspacesById, workspaceId, workspace);
      return { ...workspace };
    },
    async listWorkspaces(): Promise<WorkspaceRecord[]> {
      return all('SELECT * FROM workspaces ORDER BY workspace_id').map(rows.workspace);
    },
    async deleteWorkspace(workspaceId, purge) {
      forgetWorkspace(workspaceId);
      return transaction(() => {
        const deleted = run('DELETE FROM workspaces WHERE workspace_id = ?', workspaceId) > 0;
        if (deleted && purge) {
          run(
            'INSERT INTO workspace_purges (workspace_id, requested_at, report, updated_at) VALUES (?, ?, NULL, ?) ON CONFLICT (workspace_id) DO NOTHING',
            workspaceId,
            ms(purge.requestedAt),
            ms(purge.requestedAt),
          );
        }
        return deleted;
      });
    },
    async listWorkspacePurges() {
      return all('SELECT * FROM workspace_purges ORDER BY workspace_id').map(rows.workspacePurge);
    },
    async updateWorkspacePurge(workspaceId, report, updatedAt) {
      run(
        'UPDATE workspace_purges SET report = ?, updated_at = ? WHERE workspace_id = ?',
        report,
        ms(updatedAt),
        workspaceId,
      );
    },
    async finishWorkspacePurge(workspaceId) {
      run('DELETE FROM workspace_purges WHERE workspace_id = ?', workspaceId);
    },
    async workspaceRolesOf(userId) {
      const result = new Map<string, Role>();
      for (const row of all('SELECT workspace_id, role FROM workspace_roles WHERE user_id = ?', userId)) {
        result.set(String(row.workspace_id), row.role as Role);
      }
      return result;
    },
    async listWorkspaceRoles(workspaceId) {
      const result = new Map<string, Role>();
      for (const row of all(
        'SELECT user_id, role FROM workspace_roles WHERE workspace_id = ?',
        workspaceId,
      )) {
        result.set(String(row.user_id), row.role as Role);
      }
      return result;
    },
    async setWorkspaceRole(workspaceId, userId, role) {
      run(
        'INSERT INTO workspace_roles (workspace_id, user_id, role) VALUES (?, ?, ?) ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role',
        workspaceId,
        userId,
        role,
      );
    },
    async removeWorkspaceRole(workspaceId, userId) {
      return (
        run('DELETE FROM workspace_roles WHERE workspace_id = ? AND user_id = ?', workspaceId, userId) > 0
      );
    },

    async activeTokenPair(workspaceId) {
      const active = all(
        'SELECT * FROM streaming_tokens WHERE workspace_id = ? AND slot IS NOT NULL ORDER BY slot',
        workspaceId,
      ).map(rows.streamingToken);
      const [token1, token2] = active;
      return token1?.slot === 1 && token2?.slot === 2 ? { token1, token2 } : null;
    },
    async findTokenByHash(tokenHash) {
      const cached = tokensByHash.get(tokenHash);
      if (cached) return { ...cached };
      const row = get('SELECT * FROM streaming_tokens WHERE token_hash = ?', tokenHash);
      if (!row) return null;
      const token = rows.streamingToken(row);
      remember(tokensByHash, tokenHash, token);
      return { ...token };
    },
    async listActiveTokens() {
      return all('SELECT * FROM streaming_tokens WHERE slot IS NOT NULL ORDER BY workspace_id, slot').map(
        rows.streamingToken,
      );
    },
    async rotateTokens({
      workspaceId,
      expectedToken1,
      expectedToken2,
      newToken2,
      at,
      audit,
    }): Promise<RotationOutcome> {
      // BEGIN IMMEDIATE holds the write lock, so the pair read here is the pair we change.
      forgetWorkspace(workspaceId);
      return transaction(() => {
        const active = all(
          'SELECT id, slot FROM streaming_tokens WHERE workspace_id = ? AND slot IS NOT NULL ORDER BY slot',
          workspaceId,
        );
        if (active.length !== 2 || active[0]?.id !== expectedToken1 || active[1]?.id !== expectedToken2)
          return 'stale';
        run(
          'UPDATE streaming_tokens SET slot = NULL, deactivated_at = ? WHERE id = ?',
          at.getTime(),
          expectedToken1,
        );
        run('UPDATE streaming_tokens SET slot = 1 WHERE id = ?', expectedToken2);
        insertToken({ ...newToken2, workspaceId, slot: 2 });
        run(
          'UPDATE deployments SET token_id = ?, updated_at = ? WHERE token_id = ?',
          expectedToken2,
          at.getTime(),
          expectedToken1,
        );
        insertAudit(audit);
        return 'rotated';
      });
    },
    async recordTokenUsage(usages: TokenUsageRecord[]) {
      transaction(() => {
        for (const usage of usages) {
          // The token may have been deleted with its workspace since the use was buffered.
          if (!get('SELECT 1 FROM streaming_tokens WHERE id = ?', usage.tokenId)) continue;
          run(
            `INSERT INTO token_usage (token_id, client_key, user_agent, address, deployment_id, last_used_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (token_id, client_key) DO UPDATE SET last_used_at = MAX(token_usage.last_used_at, excluded.last_used_at),
               user_agent = excluded.user_agent, address = excluded.address, deployment_id = excluded.deployment_id`,
            usage.tokenId,
            usage.clientKey,
            usage.userAgent,
            usage.address,
            usage.deploymentId,
            ms(usage.lastUsedAt),
          );
        }
      });
    },
    async tokenUsage(tokenIds) {
      if (tokenIds.length === 0) return [];
      const placeholders = tokenIds.map(() => '?').join(', ');
      return all(
        `SELECT * FROM token_usage WHERE token_id IN (${placeholders}) ORDER BY last_used_at DESC`,
        ...tokenIds,
      ).map(rows.tokenUsage);
    },

    async createSession(session: SessionRecord) {
      run(
        'INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        session.idHash,
        session.userId,
        session.csrfToken,
        ms(session.createdAt),
        ms(session.expiresAt),
      );
    },
    async findSession(idHash) {
      const row = get('SELECT * FROM sessions WHERE id_hash = ?', idHash);
      return row ? rows.session(row) : null;
    },
    async deleteSession(idHash) {
      run('DELETE FROM sessions WHERE id_hash = ?', idHash);
    },
    async deleteExpiredSessions(now) {
      return run('DELETE FROM sessions WHERE expires_at <= ?', now.getTime());
    },

    async createPat(pat: PatRecord) {
      run(
        'INSERT INTO pats (id, user_id, name, created_at, expires_at, workspaces, read_only, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        pat.id,
        pat.userId,
        pat.name,
        ms(pat.createdAt),
        ms(pat.expiresAt),
        pat.workspaces ? JSON.stringify(pat.workspaces) : null,
        pat.readOnly ? 1 : 0,
        ms(pat.lastUsedAt),
        ms(pat.revokedAt),
      );
    },
    async findPat(id) {
      const row = get('SELECT * FROM pats WHERE id = ?', id);
      return row ? rows.pat(row) : null;
    },
    async listPats(userId) {
      return all('SELECT * FROM pats WHERE user_id = ? ORDER BY created_at DESC', userId).map(rows.pat);
    },
    async revokePat(userId, id, at) {
      return (
        run(
          'UPDATE pats SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL',
          ms(at),
          id,
          userId,
        ) > 0
      );
    },
    async touchPat(id, at) {
      run('UPDATE pats SET last_used_at = ? WHERE id = ?', ms(at), id);
    },

    async addSigningKey(key: SigningKeyRecord) {
      run(
        'INSERT INTO signing_keys (kid, purpose, algorithm, sealed_private_key, public_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        key.kid,
        key.purpose,
        key.algorithm,
        key.sealedPrivateKey,
        key.publicJwk,
        ms(key.createdAt),
        ms(key.retiredAt),
      );
    },
    async listSigningKeys(purpose) {
      return all('SELECT * FROM signing_keys WHERE purpose = ? ORDER BY created_at DESC, kid', purpose).map(
        rows.signingKey,
      );
    },
    async retireSigningKey(kid, at) {
      run(
        'UPDATE signing_keys SET retired_at = MIN(COALESCE(retired_at, ?), ?) WHERE kid = ?',
        ms(at),
        ms(at),
        kid,
      );
    },

    async appendAudit(entry: AuditRecord) {
      insertAudit(entry);
    },
    async queryAudit(query: AuditQuery) {
      const where: string[] = [];
      const params: SQLInputValue[] = [];
      if (query.workspaceIds !== null) {
        if (query.workspaceIds.length === 0) return [];
        where.push(`workspace_id IN (${query.workspaceIds.map(() => '?').join(', ')})`);
        params.push(...query.workspaceIds);
      }
      if (query.workspaceId !== undefined) where.push('workspace_id = ?') && params.push(query.workspaceId);
      if (query.actor !== undefined)
        where.push('(actor_label = ? OR actor_id = ?)') && params.push(query.actor, query.actor);
      if (query.action !== undefined) where.push('action = ?') && params.push(query.action);
      if (query.before !== undefined) where.push('id < ?') && params.push(query.before);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      params.push(query.limit);
      return all(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ?`, ...params).map(rows.audit);
    },

    async insertTopic(topic: TopicRecord) {
      const inserted = run(
        `INSERT INTO topics (workspace_id, name, kafka_name, status, last_error, configuration, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        topic.workspaceId,
        topic.name,
        topic.kafkaName,
        topic.status,
        topic.lastError,
        JSON.stringify(topic.configuration),
        ms(topic.createdAt),
        ms(topic.updatedAt),
      );
      return inserted === 1;
    },
    async findTopic(workspaceId, name) {
      const row = get('SELECT * FROM topics WHERE workspace_id = ? AND name = ?', workspaceId, name);
      return row ? rows.topic(row) : null;
    },
    async listTopics(workspaceId) {
      return all('SELECT * FROM topics WHERE workspace_id = ? ORDER BY name', workspaceId).map(rows.topic);
    },
    async updateTopic(workspaceId, name, changes) {
      const current = await store.findTopic(workspaceId, name);
      if (!current) return;
      run(
        'UPDATE topics SET status = ?, last_error = ?, configuration = ?, updated_at = ? WHERE workspace_id = ? AND name = ?',
        changes.status ?? current.status,
        changes.lastError === undefined ? current.lastError : changes.lastError,
        JSON.stringify(changes.configuration ?? current.configuration),
        ms(changes.updatedAt),
        workspaceId,
        name,
      );
    },
    async deleteTopic(workspaceId, name) {
      run('DELETE FROM topics WHERE workspace_id = ? AND name = ?', workspaceId, name);
    },
    ...sqliteDeploymentStorage({ get, all, run, transaction }),
  };

  return store;
}
