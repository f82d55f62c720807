import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { AuditRecord, AuditStorage } from '../storage.ts';
import { auditColumns, auditValues } from '../values.ts';
import { execute, parametersFor, type Queryable, query } from './query.ts';

/** One audit row, on the pool or inside a caller's transaction. */
export async function insertAudit(db: Queryable, entry: AuditRecord): Promise<void> {
  await execute(
    db,
    `INSERT INTO audit_log (${auditColumns}) VALUES (${parametersFor(auditColumns)})`,
    auditValues(entry),
  );
}

/** The append-only audit log. Ids sort by time, so paging is `id < before`, newest first. */
export function auditStorage(pool: Pool): AuditStorage {
  return {
    async appendAudit(entry) {
      await insertAudit(pool, entry);
    },
    async queryAudit(filter) {
      if (filter.workspaceIds?.length === 0) return [];
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (filter.workspaceIds !== null)
        where.push(`workspace_id = ANY(${param(filter.workspaceIds)}::text[])`);
      if (filter.workspaceId !== undefined) where.push(`workspace_id = ${param(filter.workspaceId)}`);
      if (filter.actor !== undefined) {
        const actor = param(filter.actor);
        where.push(`(actor_label = ${actor} OR actor_id = ${actor})`);
      }
      if (filter.action !== undefined) where.push(`action = ${param(filter.action)}`);
      if (filter.before !== undefined) where.push(`id < ${param(filter.before)}`);
      const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const found = await query(
        pool,
        `SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ${param(filter.limit)}`,
        params,
      );
      return found.map(rows.audit);
    },
  };
}
