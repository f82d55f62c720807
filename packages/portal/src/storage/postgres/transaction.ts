import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in one READ COMMITTED transaction on one pooled client: COMMIT when it resolves,
 * ROLLBACK when it throws. A client whose ROLLBACK failed is discarded, not returned to the pool.
 */
export async function transaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    try {
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
