import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { RotationRunStorage } from '../storage.ts';
import { rotationRunColumns, rotationRunValues } from '../values.ts';
import { insertAudit } from './audit-storage.ts';
import { execute, parametersFor, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

/** Rotation runs on PostgreSQL: one running run per workspace, advanced by compare-and-swap on its version. */
export function rotationRunStorage(pool: Pool): RotationRunStorage {
  return {
    async insertRotationRun(run, audit) {
      try {
        return await transaction(pool, async (client) => {
          await execute(
            client,
            `INSERT INTO rotation_runs (${rotationRunColumns}) VALUES (${parametersFor(rotationRunColumns)})`,
            rotationRunValues(run),
          );
          await insertAudit(client, audit);
          return true;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async findRotationRun(workspaceId, rotationId) {
      const row = await queryOne(
        pool,
        'SELECT * FROM rotation_runs WHERE workspace_id = $1 AND rotation_id = $2',
        [workspaceId, rotationId],
      );
      return row ? rows.rotationRun(row) : null;
    },
    async listRotationRuns(workspaceId, limit) {
      return (
        await query(
          pool,
          'SELECT * FROM rotation_runs WHERE workspace_id = $1 ORDER BY created_at DESC, rotation_id DESC LIMIT $2',
          [workspaceId, limit],
        )
      ).map(rows.rotationRun);
    },
    async listRunningRotationRuns() {
      return (
        await query(pool, "SELECT * FROM rotation_runs WHERE status = 'running' ORDER BY created_at")
      ).map(rows.rotationRun);
    },
    async updateRotationRun(run, audit = []) {
      return transaction(pool, async (client) => {
        const updated = await execute(
          client,
          'UPDATE rotation_runs SET status = $1, version = version + 1, body = $2 WHERE rotation_id = $3 AND version = $4',
          [run.status, rows.rotationRunBody(run), run.rotationId, run.version],
        );
        if (updated !== 1) return false;
        for (const entry of audit) await insertAudit(client, entry);
        return true;
      });
    },
  };
}
