import type { Pool, PoolClient } from 'pg';
import type { Row } from '../rows.ts';

/** A pool, or one client inside a transaction. */
export type Queryable = Pool | PoolClient;

/** Times go in as epoch milliseconds (BIGINT), as rows.ts reads them back. */
export const ms = (date: Date | null): number | null => (date ? date.getTime() : null);

/** `$1, $2, …`: one parameter for each of a values.ts column list. */
export const parametersFor = (columns: string): string =>
  columns
    .split(',')
    .map((_, i) => `$${i + 1}`)
    .join(', ');

export async function query(db: Queryable, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await db.query(sql, params)).rows as Row[];
}

export async function queryOne(db: Queryable, sql: string, params: unknown[] = []): Promise<Row | null> {
  return (await query(db, sql, params))[0] ?? null;
}

/** The number of rows the statement inserted, updated or deleted. */
export async function execute(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return (await db.query(sql, params)).rowCount ?? 0;
}
