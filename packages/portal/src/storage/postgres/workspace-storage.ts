import type { Pool } from 'pg';
import type { Role } from '../../permissions/roles.ts';
import * as rows from '../rows.ts';
import type { RotationOutcome, Store, StreamingTokenRecord } from '../storage.ts';
import { insertAudit } from './audit-storage.ts';
import { execute, ms, type Queryable, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

type WorkspaceStorage = Pick<
  Store,
  | 'createWorkspace'
  | 'findWorkspace'
  | 'listWorkspaces'
  | 'deleteWorkspace'
  | 'listWorkspacePurges'
  | 'updateWorkspacePurge'
  | 'finishWorkspacePurge'
  | 'workspaceRolesOf'
  | 'listWorkspaceRoles'
  | 'setWorkspaceRole'
  | 'removeWorkspaceRole'
  | 'activeTokenPair'
  | 'findTokenByHash'
  | 'listActiveTokens'
  | 'rotateTokens'
>;

const insertToken = (db: Queryable, token: StreamingTokenRecord) =>
  execute(
    db,
    `INSERT INTO streaming_tokens (id, workspace_id, slot, token_hash, sealed_value, created_at, deactivated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      token.id,
      token.workspaceId,
      token.slot,
      token.tokenHash,
      token.sealedValue,
      ms(token.createdAt),
      ms(token.deactivatedAt),
    ],
  );

const roleMap = (found: rows.Row[], key: string) =>
  new Map(found.map((row) => [String(row[key]), row.role as Role]));

/** Workspaces, the roles users hold in them, and each workspace's streaming token pair. */
export function workspaceStorage(pool: Pool): WorkspaceStorage {
  return {
    async createWorkspace({ workspace, tokens }) {
      return transaction(pool, async (client) => {
        // A concurrent creator of the same id waits here for our outcome instead of failing.
        const created = await execute(
          client,
          'INSERT INTO workspaces (workspace_id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (workspace_id) DO NOTHING',
          [workspace.workspaceId, workspace.name, ms(workspace.createdAt)],
        );
        if (created === 0) return false;
        for (const token of tokens) await insertToken(client, token);
        return true;
      });
    },
    async findWorkspace(workspaceId) {
      const row = await queryOne(pool, 'SELECT * FROM workspaces WHERE workspace_id = $1', [workspaceId]);
      return row ? rows.workspace(row) : null;
    },
    async listWorkspaces() {
      return (await query(pool, 'SELECT * FROM workspaces ORDER BY workspace_id')).map(rows.workspace);
    },
    async deleteWorkspace(workspaceId, purge) {
      return transaction(pool, async (client) => {
        const deleted =
          (await execute(client, 'DELETE FROM workspaces WHERE workspace_id = $1', [workspaceId])) > 0;
        if (deleted && purge) {
          await execute(
            client,
            'INSERT INTO workspace_purges (workspace_id, requested_at, report, updated_at) VALUES ($1, $2, NULL, $2) ON CONFLICT (workspace_id) DO NOTHING',
            [workspaceId, ms(purge.requestedAt)],
          );
        }
        return deleted;
      });
    },
    async listWorkspacePurges() {
      return (await query(pool, 'SELECT * FROM workspace_purges ORDER BY workspace_id')).map(
        rows.workspacePurge,
      );
    },
    async updateWorkspacePurge(workspaceId, report, updatedAt) {
      await execute(
        pool,
        'UPDATE workspace_purges SET report = $1, updated_at = $2 WHERE workspace_id = $3',
        [report, ms(updatedAt), workspaceId],
      );
    },
    async finishWorkspacePurge(workspaceId) {
      await execute(pool, 'DELETE FROM workspace_purges WHERE workspace_id = $1', [workspaceId]);
    },
    async workspaceRolesOf(userId) {
      const found = await query(pool, 'SELECT workspace_id, role FROM workspace_roles WHERE user_id = $1', [
        userId,
      ]);
      return roleMap(found, 'workspace_id');
    },
    async listWorkspaceRoles(workspaceId) {
      const found = await query(pool, 'SELECT user_id, role FROM workspace_roles WHERE workspace_id = $1', [
        workspaceId,
      ]);
      return roleMap(found, 'user_id');
    },
    async setWorkspaceRole(workspaceId, userId, role) {
      await execute(
        pool,
        `INSERT INTO workspace_roles (workspace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [workspaceId, userId, role],
      );
    },
    async removeWorkspaceRole(workspaceId, userId) {
      const removed = await execute(
        pool,
        'DELETE FROM workspace_roles WHERE workspace_id = $1 AND user_id = $2',
        [workspaceId, userId],
      );
      return removed > 0;
    },

    async activeTokenPair(workspaceId) {
      const active = (
        await query(
          pool,
          'SELECT * FROM streaming_tokens WHERE workspace_id = $1 AND slot IS NOT NULL ORDER BY slot',
          [workspaceId],
        )
      ).map(rows.streamingToken);
      const [token1, token2] = active;
      return token1?.slot === 1 && token2?.slot === 2 ? { token1, token2 } : null;
    },
    async findTokenByHash(tokenHash) {
      const row = await queryOne(pool, 'SELECT * FROM streaming_tokens WHERE token_hash = $1', [tokenHash]);
      return row ? rows.streamingToken(row) : null;
    },
    async listActiveTokens() {
      const active = await query(
        pool,
        'SELECT * FROM streaming_tokens WHERE slot IS NOT NULL ORDER BY workspace_id, slot',
      );
      return active.map(rows.streamingToken);
    },
    async rotateTokens({ workspaceId, expectedToken1, expectedToken2, newToken2, at, audit }) {
      return transaction(pool, async (client): Promise<RotationOutcome> => {
        // FOR UPDATE makes a concurrent rotation of the same pair wait for our COMMIT; READ
        // COMMITTED then re-reads the rows it locked, finds Token 1 deactivated and reports
        // 'stale'. Locking in id order matches token-usage-storage.ts, so the two never deadlock.
        const active = await query(
          client,
          'SELECT id, slot FROM streaming_tokens WHERE workspace_id = $1 AND slot IS NOT NULL ORDER BY id FOR UPDATE',
          [workspaceId],
        );
        const slotOf = new Map(active.map((row) => [String(row.id), Number(row.slot)]));
        if (active.length !== 2 || slotOf.get(expectedToken1) !== 1 || slotOf.get(expectedToken2) !== 2) {
          return 'stale';
        }
        // In this order, the partial unique index on (workspace_id, slot) holds after each statement.
        await execute(client, 'UPDATE streaming_tokens SET slot = NULL, deactivated_at = $1 WHERE id = $2', [
          ms(at),
          expectedToken1,
        ]);
        await execute(client, 'UPDATE streaming_tokens SET slot = 1 WHERE id = $1', [expectedToken2]);
        await insertToken(client, { ...newToken2, workspaceId, slot: 2 });
        await execute(client, 'UPDATE deployments SET token_id = $1, updated_at = $2 WHERE token_id = $3', [
          expectedToken2,
          ms(at),
          expectedToken1,
        ]);
        await insertAudit(client, audit);
        return 'rotated';
      });
    },
  };
}
