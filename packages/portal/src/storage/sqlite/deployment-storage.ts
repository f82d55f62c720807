import * as rows from '../rows.ts';
import type { DeploymentStorage } from '../storage.ts';
import { deploymentColumns, deploymentValues } from '../values.ts';
import { isUniqueViolation, parametersFor, type SqliteAccess } from './connection.ts';

/** Deployments on SQLite. Each method is synchronous inside, hence atomic. */
export function deploymentStorage(db: SqliteAccess): DeploymentStorage {
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
          `INSERT INTO deployments (${deploymentColumns}) VALUES (${parametersFor(deploymentColumns)})`,
          ...deploymentValues(record),
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
  };
}
