import type { SQLInputValue } from 'node:sqlite';
import * as rows from '../rows.ts';
import type { AuditRecord, AuditStorage } from '../storage.ts';
import { auditColumns, auditValues } from '../values.ts';
import { parametersFor, type SqliteAccess } from './connection.ts';

/** One audit row, alone or inside a caller's transaction. */
export function insertAudit(db: SqliteAccess, entry: AuditRecord): void {
  db.run(
    `INSERT INTO audit_log (${auditColumns}) VALUES (${parametersFor(auditColumns)})`,
    ...auditValues(entry),
  );
}

/** The append-only audit log. Ids sort by time, so paging is `id < before`, newest first. */
export function auditStorage(db: SqliteAccess): AuditStorage {
  return {
    async appendAudit(entry) {
      insertAudit(db, entry);
    },
    async queryAudit(query) {
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
      return db.all(`SELECT * FROM audit_log ${clause} ORDER BY id DESC LIMIT ?`, ...params).map(rows.audit);
    },
  };
}
