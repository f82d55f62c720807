import type { SqliteConnection } from './connection.ts';
import { sqliteMigrations } from './migrations.ts';

/** Applies the migrations not yet recorded, all in one transaction (the file has one owner). */
export function migrate(db: SqliteConnection): void {
  db.transaction(() => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      db.all('SELECT version FROM schema_migrations').map((row) => Number(row.version)),
    );
    for (const migration of sqliteMigrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.run(
        'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
        migration.version,
        Date.now(),
      );
    }
  });
}
