import type { SQLInputValue } from 'node:sqlite';
import * as rows from '../rows.ts';
import type { AuditRecord, DeploymentStorage, RotationRunStorage } from '../storage.ts';

/** What the SQLite store lends its domain parts: prepared-statement helpers and its transaction. */
export interface SqliteAccess {
  get(sql: string, ...params: SQLInputValue[]): rows.Row | undefined;
  all(sql: string, ...params: SQLInputValue[]): rows.Row[];
  run(sql: string, ...params: SQLInputValue[]): number;
  transaction<T>(work: () => T): T;
}

const insertAudit = (db: SqliteAccess, entry: AuditRecord) =>
  db.run(
    `INSERT INTO audit_log (${rows.auditColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ...rows.auditValues(entry),
  );

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed/.test(error.message);

/** Deployments and rotation runs on SQLite. Each method is synchronous inside, hence atomic. */
export function sqliteDeploymentStorage(db: SqliteAccess): DeploymentStorage & RotationRunStorage {
  const find = (workspaceId: string, deploymentId: string) => {
    const row = db.get(
      'SELECT * FROM deployments WHERE workspace_id = ? AND deployment_id = ?',
      workspaceId,
      deploymentId,
    );
    return row ? rows.deployment(row) : null;
  };

  return {
    async insertDeployment(record) {
      try {
        db.run(
          `INSERT INTO deployments (${rows.deploymentColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ...rows.deploymentValues(record),
        );
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
    async findDeployment(workspaceId, deploymentId) {
      return find(workspaceId, deploymentId);
    },
    async listDeployments(workspaceId) {
      const found =
        workspaceId === null
          ? db.all('SELECT * FROM deployments ORDER BY workspace_id, name')
          : db.all('SELECT * FROM deployments WHERE workspace_id = ? ORDER BY name', workspaceId);
      return found.map(rows.deployment);
    },
    async updateDeployment(workspaceId, deploymentId, changes) {
      return db.transaction(() => {
        const current = find(workspaceId, deploymentId);
        if (!current) return null;
        if (changes.onlyIfTokenId !== undefined && current.tokenId !== changes.onlyIfTokenId) return null;
        if (
          changes.tokenId !== undefined &&
          !db.get('SELECT 1 FROM streaming_tokens WHERE id = ? AND slot IS NOT NULL', changes.tokenId)
        )
          return null;
        db.run(
          `UPDATE deployments SET spec = ?, spec_version = ?, desired_state = ?, token_id = ?, generation = ?, updated_at = ?
           WHERE deployment_id = ?`,
          JSON.stringify(changes.spec ?? current.spec),
          current.specVersion + (changes.spec ? 1 : 0),
          changes.desiredState ?? current.desiredState,
          changes.tokenId ?? current.tokenId,
          current.generation + (changes.restart ? 1 : 0),
          changes.updatedAt.getTime(),
          deploymentId,
        );
        return find(workspaceId, deploymentId);
      });
    },
    async recordDeploymentObserved(deploymentId, observed) {
      db.run(
        'UPDATE deployments SET observed = ? WHERE deployment_id = ?',
        JSON.stringify(observed),
        deploymentId,
      );
    },
    async deleteDeployment(workspaceId, deploymentId) {
      return (
        db.run(
          'DELETE FROM deployments WHERE workspace_id = ? AND deployment_id = ?',
          workspaceId,
          deploymentId,
        ) > 0
      );
    },

    async insertRotationRun(run, audit) {
      try {
        return db.transaction(() => {
          db.run(
            'INSERT INTO rotation_runs (rotation_id, workspace_id, status, version, body, created_at) VALUES (?, ?, ?, ?, ?, ?)',
            run.rotationId,
            run.workspaceId,
            run.status,
            run.version,
            rows.rotationRunBody(run),
            run.createdAt.getTime(),
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
