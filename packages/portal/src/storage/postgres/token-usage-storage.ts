import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { TokenUsageRecord, TokenUsageStorage } from '../storage.ts';
import { query } from './query.ts';
import { transaction } from './transaction.ts';

/**
 * One entry per (token, client), as the SQLite store leaves it after applying the batch in
 * order: the latest time, and the user agent, address and deployment of the last entry.
 * ON CONFLICT DO UPDATE may touch each row only once per statement, hence the merge.
 */
function merge(usages: TokenUsageRecord[]): TokenUsageRecord[] {
  const merged = new Map<string, TokenUsageRecord>();
  for (const usage of usages) {
    const key = JSON.stringify([usage.tokenId, usage.clientKey]);
    const previous = merged.get(key);
    const lastUsedAt =
      previous && previous.lastUsedAt > usage.lastUsedAt ? previous.lastUsedAt : usage.lastUsedAt;
    merged.set(key, { ...usage, lastUsedAt });
  }
  // The same row order in every writer, so concurrent batches never deadlock on token_usage.
  return [...merged.values()].sort((a, b) =>
    a.tokenId === b.tokenId ? compare(a.clientKey, b.clientKey) : compare(a.tokenId, b.tokenId),
  );
}
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** When and from where each streaming token was last used, per client. */
export function tokenUsageStorage(pool: Pool): TokenUsageStorage {
  return {
    async recordTokenUsage(usages) {
      if (usages.length === 0) return;
      const batch = merge(usages);
      await transaction(pool, async (client) => {
        // The token may have been deleted with its workspace since the use was buffered. FOR KEY
        // SHARE keeps the ones still here until we commit (a concurrent delete waits, and one that
        // committed first leaves its row out), so the insert never breaks the foreign key.
        const present = await query(
          client,
          'SELECT id FROM streaming_tokens WHERE id = ANY($1::text[]) ORDER BY id FOR KEY SHARE',
          [[...new Set(batch.map((usage) => usage.tokenId))]],
        );
        const ids = new Set(present.map((row) => String(row.id)));
        const kept = batch.filter((usage) => ids.has(usage.tokenId));
        if (kept.length === 0) return;
        await client.query(
          `INSERT INTO token_usage (token_id, client_key, user_agent, address, deployment_id, last_used_at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
           ON CONFLICT (token_id, client_key) DO UPDATE SET
             last_used_at = GREATEST(token_usage.last_used_at, EXCLUDED.last_used_at),
             user_agent = EXCLUDED.user_agent, address = EXCLUDED.address, deployment_id = EXCLUDED.deployment_id`,
          [
            kept.map((usage) => usage.tokenId),
            kept.map((usage) => usage.clientKey),
            kept.map((usage) => usage.userAgent),
            kept.map((usage) => usage.address),
            kept.map((usage) => usage.deploymentId),
            kept.map((usage) => usage.lastUsedAt.getTime()),
          ],
        );
      });
    },
    async tokenUsage(tokenIds) {
      if (tokenIds.length === 0) return [];
      const found = await query(
        pool,
        'SELECT * FROM token_usage WHERE token_id = ANY($1::text[]) ORDER BY last_used_at DESC',
        [tokenIds],
      );
      return found.map(rows.tokenUsage);
    },
  };
}
