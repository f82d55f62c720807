import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { DeploymentStorage } from '../storage.ts';
import { deploymentColumns, deploymentValues } from '../values.ts';
import { execute, parametersFor, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

/** Deployments on PostgreSQL: one statement or one short transaction per method. */
export function deploymentStorage(pool: Pool): DeploymentStorage {
  return {
    async insertDeployment(record) {
      const inserted = await execute(
        pool,
        `INSERT INTO deployments (${deploymentColumns}) VALUES (${parametersFor(deploymentColumns)}) ON CONFLICT DO NOTHING`,
        deploymentValues(record),
      );
      return inserted === 1;
    },
    async findDeployment(workspaceId, deploymentId) {
      const row = await queryOne(
        pool,
        'SELECT * FROM deployments WHERE workspace_id = $1 AND deployment_id = $2',
        [workspaceId, deploymentId],
      );
      return row ? rows.deployment(row) : null;
    },
    async listDeployments(workspaceId) {
      const found =
        workspaceId === null
          ? await query(pool, 'SELECT * FROM deployments ORDER BY workspace_id, name')
          : await query(pool, 'SELECT * FROM deployments WHERE workspace_id = $1 ORDER BY name', [
              workspaceId,
            ]);
      return found.map(rows.deployment);
    },
    async updateDeployment(workspaceId, deploymentId, changes) {
      return transaction(pool, async (client) => {
        // FOR SHARE waits for a rotation of that token's pair (which locks its tokens FOR UPDATE),
        // so a deployment is never set to a token that the rotation has just deactivated.
        if (changes.tokenId !== undefined) {
          const token = await queryOne(client, 'SELECT slot FROM streaming_tokens WHERE id = $1 FOR SHARE', [
            changes.tokenId,
          ]);
          if (!token || token.slot === null) return null;
        }
        // One statement: a restart and a move at the same time both count (generation + 1 each).
        const row = await queryOne(
          client,
          `UPDATE deployments SET
             spec = COALESCE($3::text, spec),
             spec_version = spec_version + CASE WHEN $3::text IS NULL THEN 0 ELSE 1 END,
             desired_state = COALESCE($4::text, desired_state),
             token_id = COALESCE($5::text, token_id),
             generation = generation + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
             updated_at = $7
           WHERE workspace_id = $1 AND deployment_id = $2 AND ($8::text IS NULL OR token_id = $8::text)
           RETURNING *`,
          [
            workspaceId,
            deploymentId,
            changes.spec ? JSON.stringify(changes.spec) : null,
            changes.desiredState ?? null,
            changes.tokenId ?? null,
            changes.restart === true,
            changes.updatedAt.getTime(),
            changes.onlyIfTokenId ?? null,
          ],
        );
        return row ? rows.deployment(row) : null;
      });
    },
    async recordDeploymentObserved(deploymentId, observed) {
      await execute(pool, 'UPDATE deployments SET observed = $1 WHERE deployment_id = $2', [
        JSON.stringify(observed),
        deploymentId,
      ]);
    },
    async deleteDeployment(workspaceId, deploymentId) {
      return (
        (await execute(pool, 'DELETE FROM deployments WHERE workspace_id = $1 AND deployment_id = $2', [
          workspaceId,
          deploymentId,
        ])) > 0
      );
    },
  };
}
