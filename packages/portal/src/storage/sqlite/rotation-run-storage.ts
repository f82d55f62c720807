import * as rows from '../rows.ts';
import type { RotationRunStorage } from '../storage.ts';
import { rotationRunColumns, rotationRunValues } from '../values.ts';
import { insertAudit } from './audit-storage.ts';
import { isUniqueViolation, parametersFor, type SqliteAccess } from './connection.ts';

/** Rotation runs on SQLite: one running run per workspace, advanced by compare-and-swap on its version. */
export function rotationRunStorage(db: SqliteAccess): RotationRunStorage {
  return {
    async insertRotationRun(run, audit) {
      try {
        return db.transaction(() => {
          db.run(
            `INSERT INTO rotation_runs (${rotationRunColumns}) VALUES (${parametersFor(rotationRunColumns)})`,
            ...rotationRunValues(run),
          );
          insertAudit(db, audit);
          return true;
        });
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async findRotationRun(workspaceId, rotationId) {
      const row = db.get(
        'SELECT * FROM rotation_runs WHERE workspace_id = ? AND rotation_id = ?',
        workspaceId,
        rotationId,
      );
      return row ? rows.rotationRun(row) : null;
    },
    async listRotationRuns(workspaceId, limit) {
      return db
        .all(
          'SELECT * FROM rotation_runs WHERE workspace_id = ? ORDER BY created_at DESC, rotation_id DESC LIMIT ?',
          workspaceId,
          limit,
        )
        .map(rows.rotationRun);
    },
    async listRunningRotationRuns() {
      return db
        .all("SELECT * FROM rotation_runs WHERE status = 'running' ORDER BY created_at")
        .map(rows.rotationRun);
    },
    async updateRotationRun(run, audit = []) {
      return db.transaction(() => {
        const updated = db.run(
          'UPDATE rotation_runs SET status = ?, version = version + 1, body = ? WHERE rotation_id = ? AND version = ?',
          run.status,
          rows.rotationRunBody(run),
          run.rotationId,
          run.version,
        );
        if (updated !== 1) return false;
        for (const entry of audit) insertAudit(db, entry);
        return true;
      });
    },
  };
}
