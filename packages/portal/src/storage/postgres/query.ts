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

/**
 * A named statement: each pooled connection parses and plans it once, then only binds and runs
 * it (one round trip either way). For the statements every authenticated request runs.
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

const preparedNames = new Map<string, string>();

/** Names must be unique to their text (pg refuses a name reused for other SQL): checked here, once. */
export function prepared(name: string, text: string): Prepared {
  const known = preparedNames.get(name);
  if (known !== undefined && known !== text)
    throw new TypeError(`prepared statement '${name}' declared twice`);
  preparedNames.set(name, text);
  return { name, text };
}

const run = (db: Queryable, sql: string | Prepared, params: unknown[]) =>
  typeof sql === 'string'
    ? db.query(sql, params)
    : db.query({ name: sql.name, text: sql.text, values: params });

export async function query(db: Queryable, sql: string | Prepared, params: unknown[] = []): Promise<Row[]> {
  return (await run(db, sql, params)).rows as Row[];
}

export async function queryOne(
  db: Queryable,
  sql: string | Prepared,
  params: unknown[] = [],
): Promise<Row | null> {
  return (await query(db, sql, params))[0] ?? null;
}

/** The number of rows the statement inserted, updated or deleted. */
export async function execute(
  db: Queryable,
  sql: string | Prepared,
  params: unknown[] = [],
): Promise<number> {
  return (await run(db, sql, params)).rowCount ?? 0;
}
