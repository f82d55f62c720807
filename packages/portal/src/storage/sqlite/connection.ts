import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Row } from '../rows.ts';

/** What the domain parts of the SQLite store use: prepared statements and one transaction. */
export interface SqliteAccess {
  get(sql: string, ...params: SQLInputValue[]): Row | undefined;
  all(sql: string, ...params: SQLInputValue[]): Row[];
  /** The number of rows the statement inserted, updated or deleted. */
  run(sql: string, ...params: SQLInputValue[]): number;
  /**
   * Runs `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it throws). node:sqlite is
   * synchronous, so nothing else runs in between: a transaction can never interleave.
   */
  transaction<T>(work: () => T): T;
  /**
   * How many writes (run, transaction, exec) this connection has begun. One process owns the
   * file, so a read remembered at one count is still the database's answer while it is unchanged.
   */
  writeCount(): number;
}

export interface SqliteConnection extends SqliteAccess {
  exec(sql: string): void;
  close(): void;
}

/** Times go in as epoch milliseconds, as rows.ts reads them back. */
export const ms = (date: Date | null): number | null => (date ? date.getTime() : null);

/** `?, ?, …`: one parameter for each of a values.ts column list. */
export const parametersFor = (columns: string): string =>
  columns
    .split(',')
    .map(() => '?')
    .join(', ');

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && /UNIQUE constraint failed/.test(error.message);

/**
 * Opens the database file and keeps SQLite's exclusive lock on it until closed: one portal
 * process owns the file (several instances share PostgreSQL instead), which is what lets the
 * store keep reads in memory (read-cache.ts).
 */
export function openSqlite(path: string): SqliteConnection {
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 2000; PRAGMA locking_mode = EXCLUSIVE; PRAGMA journal_mode = WAL;');
    db.exec('PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
    // Take the lock now, so a second portal on the same data dir fails at start, not later.
    db.exec('BEGIN IMMEDIATE; COMMIT;');
  } catch (error) {
    db.close();
    throw new Error(
      `Another process holds ${path}: a SQLite database serves one portal process (use STREAMGATE_DATABASE_URL with PostgreSQL to run several).`,
      { cause: error },
    );
  }

  const statements = new Map<string, ReturnType<DatabaseSync['prepare']>>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };

  // Counted before the write runs: whatever happens to it, what was read before is stale.
  let writes = 0;
  return {
    get: (sql, ...params) => prepare(sql).get(...params) as Row | undefined,
    all: (sql, ...params) => prepare(sql).all(...params) as Row[],
    run: (sql, ...params) => {
      writes++;
      return Number(prepare(sql).run(...params).changes);
    },
    transaction(work) {
      writes++;
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    writeCount: () => writes,
    exec: (sql) => {
      writes++;
      db.exec(sql);
    },
    close() {
      statements.clear();
      db.close();
    },
  };
}
