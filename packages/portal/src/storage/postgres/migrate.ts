import type { Pool } from 'pg';
import { postgresMigrations } from './migrations.ts';
import { query } from './query.ts';
import { transaction } from './transaction.ts';

/** Any fixed 64-bit number; every portal process uses the same one. ("SGMIGRAT" in ASCII.) */
const MIGRATION_LOCK = '6000850005618999636';

/**
 * Applies the migrations not yet recorded. Portal instances starting together each call this:
 * the transaction-scoped advisory lock makes them take turns, and whoever comes second sees the
 * first one's committed schema (READ COMMITTED reads afresh at each statement), so it applies
 * nothing. A failed migration rolls back whole, lock included.
 */
export async function migrate(pool: Pool): Promise<void> {
  await transaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (await query(client, 'SELECT version FROM schema_migrations')).map((row) => Number(row.version)),
    );
    for (const migration of postgresMigrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
        migration.version,
        Date.now(),
      ]);
    }
  });
}
