import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { DeploymentStorage, RotationRunStorage } from '../storage.ts';
import { insertAudit } from './audit-storage.ts';
import { execute, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';

/** Deployments and rotation runs on PostgreSQL: one statement per method, so no transaction is held. */
export function deploymentStorage(pool: Pool): DeploymentStorage & RotationRunStorage {
  const placeholders = (count: number) => Array.from({ length: count }, (_, i) => `$${i + 1}`).join(', ');
  return {
    async insertDeployment(record) {
      const inserted = await execute(
        pool,
        `INSERT INTO deployments (${rows.deploymentColumns}) VALUES (${placeholders(11)}) ON CONFLICT DO NOTHING`,
        rows.deploymentValues(record),
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

    async insertRotationRun(run, audit) {
      try {
        return await transaction(pool, async (client) => {
          await execute(
            client,
            'INSERT INTO rotation_runs (rotation_id, workspace_id, status, version, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
            [
              run.rotationId,
              run.workspaceId,
              run.status,
              run.version,
              rows.rotationRunBody(run),
              run.createdAt.getTime(),
            ],
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
